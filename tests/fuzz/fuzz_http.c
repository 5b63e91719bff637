/*
 * fuzz_http.c: libFuzzer target for whole requests as a client sends
 * them: the request line, its query string, headers and cookies as
 * libmicrohttpd parses them and pnyx reads them (credentials() in
 * src/http/server.c: the Authorization header and the pnyx_session
 * cookie; http_query and http_query_int in src/http/request.c; the route
 * table; the body spec), through the real server.
 *
 * LLVMFuzzerInitialize starts the server (src/http/server.c) on a fresh
 * database in a temporary directory, on 127.0.0.1 with an ephemeral
 * port, and signs in an account "fuzzer". Each input is sent as is on
 * one TCP connection, except that "@T@" is replaced by that account's
 * session token (so seeds can be signed in); the reply is read until the
 * server closes or stays silent for half a second. Checks, beyond the
 * sanitizers' (which watch the server's threads too): whatever the
 * server answers starts with a status line, and no input gets a 500
 * (an internal error is a defect, whatever the input).
 *
 * Throughput is that of a real server (hundreds of inputs a second);
 * coverage comes from every thread. Seeds: tests/fuzz/corpus_http. Run:
 *   make fuzz && cp -r tests/fuzz/corpus_http /tmp/c &&
 *   build/fuzz/fuzz_http /tmp/c -max_total_time=60 -max_len=2048
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/errors.h"
#include "http/http.h"
#include "store/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_server *srv;
static struct sockaddr_in addr;
static char dir[] = "/tmp/pnyx-fuzz-http-XXXXXX";
static char db[128];
static char token[256];

/* Send req, read the reply into out (at most cap - 1 bytes, NUL-ended)
 * until the server closes or stays silent for quiet_ms; returns the bytes
 * read, or -1 when no connection could be made. */
static long exchange(const char *req, size_t len, char *out, size_t cap,
		     int quiet_ms)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* reset on close: no TIME_WAIT left behind per input */
	struct linger lg = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -1;
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	shutdown(fd, SHUT_WR);
	size_t got = 0;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, quiet_ms) <= 0)
			break;
		char sink[4096];
		char *to = got < cap - 1 ? out + got : sink;
		size_t room = got < cap - 1 ? cap - 1 - got : sizeof(sink);
		ssize_t n = recv(fd, to, room, 0);
		if (n <= 0)
			break;
		if (to != sink)
			got += (size_t)n;
	}
	out[got] = '\0';
	close(fd);
	return (long)got;
}

static void stop(void)
{
	char p[160];
	if (srv)
		http_server_stop(srv, 1000);
	srv = NULL;
	static const char *const ext[] = { "", "-wal", "-shm", ".key" };
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", db, ext[i]);
		unlink(p);
	}
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct px_error err = { 0 };
	struct store *s = NULL;
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(dir))
		abort();
	snprintf(db, sizeof(db), "%s/f.db", dir);
	if (store_open(db, STORE_CREATE, &s, &err))
		abort();
	store_close(s);
	struct http_options o = { .listen = "127.0.0.1:0", .db_path = db,
				  .threads = 2 };
	if (http_server_start(&o, &srv, &err)) {
		fprintf(stderr, "fuzz_http: %s\n", px_error_message(&err));
		abort();
	}
	atexit(stop);
	int port = 0;
	if (sscanf(http_server_url(srv), "http://127.0.0.1:%d/", &port) != 1)
		abort();
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	static const char acct[] = "{\"handle\":\"fuzzer\",\"display_name\":\"F\","
				   "\"password\":\"correct horse battery\"}";
	static const char sess[] = "{\"handle\":\"fuzzer\","
				   "\"password\":\"correct horse battery\"}";
	char req[512], reply[4096];
	snprintf(req, sizeof(req), "POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s", sizeof(acct) - 1, acct);
	/* argon2id hashing may take seconds on a loaded machine */
	exchange(req, strlen(req), reply, sizeof(reply), 60000);
	snprintf(req, sizeof(req), "POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\n"
		 "Content-Type: application/json\r\nContent-Length: %zu\r\n"
		 "Connection: close\r\n\r\n%s", sizeof(sess) - 1, sess);
	exchange(req, strlen(req), reply, sizeof(reply), 60000);
	const char *t = strstr(reply, "\"token\":\"");
	if (!t) {
		fprintf(stderr, "fuzz_http: cannot sign in: %s\n", reply);
		abort();
	}
	t += 9;
	size_t l = strcspn(t, "\"");
	if (l >= sizeof(token))
		abort();
	memcpy(token, t, l);
	token[l] = '\0';
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	size_t tl = strlen(token);
	char *req = malloc(size + tl + 1);
	if (!req)
		return 0;
	size_t n = 0;
	int swapped = 0;
	for (size_t i = 0; i < size; i++) {
		if (!swapped && i + 3 <= size && !memcmp(data + i, "@T@", 3)) {
			memcpy(req + n, token, tl);
			n += tl;
			i += 2;
			swapped = 1;
		} else {
			req[n++] = (char)data[i];
		}
	}
	char reply[64];
	long got = exchange(req, n, reply, sizeof(reply), 500);
	free(req);
	if (got < 0)
		abort(); /* the server stopped accepting */
	if (got > 0 && strncmp(reply, "HTTP/1.", 7))
		abort();
	if (got >= 12 && !strncmp(reply + 8, " 500", 4))
		abort();
	return 0;
}
