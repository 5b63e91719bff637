/*
 * api_qr.c: the room code as a QR code, for the projector in the room.
 * GET /api/v1/meetings/{id}/code.svg asks src/gov/procedure/meeting.c for the code
 * (so the same people may see it as GET .../code: the clerk, the
 * facilitator, or any active member while both offices are vacant) and
 * draws, with src/core/qr_svg.c, the address of the meeting page with the
 * code filled in: a phone that scans it opens the page ready to check in.
 *
 * The address is built from the request's Host header (only the
 * characters a host and port may have; otherwise the path alone) and the
 * scheme the server is configured for (https with --secure-cookies).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/qr_svg.h"
#include "core/strbuf.h"
#include "gov/procedure/procedure.h"
#include "api.h"
#include "request.h"
#include "server.h"
#include <microhttpd.h>
#include "banned.h"

int api_meeting_code_svg(struct http_req *req, void *in)
{
	(void)in;
	int64_t id;
	json_t *code = NULL;
	struct strbuf url, svg;
	char label[64], base[300];
	int rc = http_param_id(req, "id", &id);
	if (rc)
		return rc;
	rc = gov_meeting_code(&req->ctx, id, &code, &req->err);
	if (rc)
		return rc;
	const char *c = json_string_value(json_object_get(code, "code"));
	sb_init(&url, 512);
	sb_init(&svg, (size_t)1 << 20);
	if (!http_base_url(req, base, sizeof(base)))
		rc = sb_adds(&url, base);
	if (!rc)
		rc = sb_addf(&url, "/meeting.html?id=%lld&code=%s", (long long)id,
			     c ? c : "");
	snprintf(label, sizeof(label), "Room code %s", c ? c : "");
	if (rc)
		rc = px_fail(&req->err, rc, NULL, NULL);
	else
		rc = qr_svg(url.buf, label, &svg, &req->err);
	if (!rc)
		rc = http_reply_text(req, 200, "image/svg+xml", svg.buf);
	json_decref(code);
	sb_release(&url);
	sb_release(&svg);
	return rc;
}
