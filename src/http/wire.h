/*
 * wire.h: queueing pnyx's own replies, apart from the error pages
 * libmicrohttpd queues by itself, which wire.c answers in JSON instead.
 */
#ifndef PNYX_HTTP_WIRE_H
#define PNYX_HTTP_WIRE_H

#include <microhttpd.h>

/* MHD_queue_response for a reply pnyx built: passed through unchanged. */
enum MHD_Result wire_queue(struct MHD_Connection *conn, unsigned int status,
			   struct MHD_Response *resp);

#endif
