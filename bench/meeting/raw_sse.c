/*
 * raw_sse.c: the least a server can do for the meeting bench, as its
 * baseline. One thread, epoll, non-blocking sockets, no database, no
 * accounts: it counts. GET .../events opens a stream (a snapshot, then the
 * counts at most every 250 ms when they changed, as pnyx does); POST
 * .../checkins counts one present; POST .../votes counts one vote for the
 * motion in the path; GET /api/v1/health answers {"ok":true}. Written for
 * bench/meeting/run only; not part of pnyx.
 *
 * usage: raw_sse PORT   (prints "listening" once ready)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAXFD 65536
#define MOTIONS 16

struct conn {
	int open, stream, close_after;
	char in[8192];
	size_t inlen;
	char *out;
	size_t outlen, outcap;
};

static struct conn conns[MAXFD];
static long voted[MOTIONS], present;
static int dirty;
static int ep;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop(int fd)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
	close(fd);
	free(conns[fd].out);
	memset(&conns[fd], 0, sizeof(conns[fd]));
}

static void flush_out(int fd)
{
	struct conn *c = &conns[fd];
	while (c->outlen) {
		ssize_t n = write(fd, c->out, c->outlen);
		if (n < 0) {
			if (errno == EAGAIN)
				break;
			drop(fd);
			return;
		}
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
	if (!c->outlen && c->close_after) {
		drop(fd);
		return;
	}
	struct epoll_event ev = { .events = EPOLLIN | (c->outlen ? EPOLLOUT : 0),
				  .data.fd = fd };
	epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

static void queue_bytes(int fd, const char *s, size_t n)
{
	struct conn *c = &conns[fd];
	if (c->outlen + n > c->outcap) {
		size_t cap = (c->outlen + n) * 2;
		char *p = realloc(c->out, cap);
		if (!p)
			abort();
		c->out = p;
		c->outcap = cap;
	}
	memcpy(c->out + c->outlen, s, n);
	c->outlen += n;
}

/* One chunk of the chunked stream. */
static void queue_chunk(int fd, const char *s)
{
	char head[32];
	int hl = snprintf(head, sizeof(head), "%zx\r\n", strlen(s));
	queue_bytes(fd, head, (size_t)hl);
	queue_bytes(fd, s, strlen(s));
	queue_bytes(fd, "\r\n", 2);
}

static int counts_event(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "event: %s\ndata: {\"present\":%ld,\"votes\":[", name, present);
	for (int m = 0; m < MOTIONS; m++)
		if (voted[m])
			n += snprintf(buf + n, len - (size_t)n,
				      "%s{\"motion\":%d,\"status\":\"voting\",\"round\":1,"
				      "\"voted\":%ld,\"counts\":{\"yes\":%ld}}",
				      buf[n - 1] == '[' ? "" : ",", m, voted[m], voted[m]);
	n += snprintf(buf + n, len - (size_t)n, "]}\n\n");
	return n;
}

static void reply(int fd, const char *status, const char *body)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "HTTP/1.1 %s\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\n\r\n%s", status, strlen(body), body);
	queue_bytes(fd, buf, (size_t)n);
}

static void request(int fd, char *head, size_t body_len)
{
	char method[8] = "", path[256] = "";
	sscanf(head, "%7s %255s", method, path);
	(void)body_len;
	if (!strcmp(method, "GET") && strstr(path, "/events")) {
		char ev[4096];
		conns[fd].stream = 1;
		static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
					   "Transfer-Encoding: chunked\r\n\r\n";
		queue_bytes(fd, head, sizeof(head) - 1);
		counts_event(ev, sizeof(ev), "meeting");
		queue_chunk(fd, ev);
	} else if (!strcmp(method, "POST") && strstr(path, "/checkins")) {
		present++;
		dirty = 1;
		reply(fd, "201 Created", "{\"ok\":true}");
	} else if (!strcmp(method, "POST") && strstr(path, "/votes")) {
		const char *p = strstr(path, "/motions/");
		int m = p ? atoi(p + 9) : 0;
		if (m >= 0 && m < MOTIONS)
			voted[m]++;
		dirty = 1;
		reply(fd, "201 Created", "{\"ok\":true}");
	} else {
		reply(fd, "200 OK", "{\"ok\":true}");
	}
	if (strcasestr(head, "connection: close"))
		conns[fd].close_after = 1;
}

static void readable(int fd)
{
	struct conn *c = &conns[fd];
	for (;;) {
		ssize_t n = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
		if (n == 0 || (n < 0 && errno != EAGAIN)) {
			drop(fd);
			return;
		}
		if (n < 0)
			break;
		c->inlen += (size_t)n;
		for (;;) {
			c->in[c->inlen < sizeof(c->in) ? c->inlen : sizeof(c->in) - 1] = 0;
			char *end = strstr(c->in, "\r\n\r\n");
			if (!end)
				break;
			size_t body = 0;
			char *cl = strcasestr(c->in, "content-length:");
			if (cl && cl < end)
				body = (size_t)atol(cl + 15);
			size_t total = (size_t)(end + 4 - c->in) + body;
			if (total > c->inlen)
				break;
			request(fd, c->in, body);
			memmove(c->in, c->in + total, c->inlen - total);
			c->inlen -= total;
		}
		if (c->inlen == sizeof(c->in)) {
			drop(fd);
			return;
		}
	}
	flush_out(fd);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max < MAXFD ? rl.rlim_max : MAXFD;
	setrlimit(RLIMIT_NOFILE, &rl);
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 4096)) {
		perror("raw_sse");
		return 1;
	}
	ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = ls };
	epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
	printf("listening\n");
	fflush(stdout);
	long long next = now_ms() + 250;
	static struct epoll_event evs[1024];
	for (;;) {
		long long t = now_ms();
		int n = epoll_wait(ep, evs, 1024, (int)(next > t ? next - t : 0));
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == ls) {
				int c;
				while ((c = accept4(ls, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					if (c >= MAXFD) {
						close(c);
						continue;
					}
					setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
					conns[c].open = 1;
					struct epoll_event ce = { .events = EPOLLIN, .data.fd = c };
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
				}
				continue;
			}
			if (evs[i].events & EPOLLIN)
				readable(fd);
			else if (conns[fd].open)
				flush_out(fd);
		}
		if (now_ms() >= next) {
			next = now_ms() + 250;
			if (dirty) {
				char buf[4096];
				dirty = 0;
				counts_event(buf, sizeof(buf), "counts");
				for (int fd = 0; fd < MAXFD; fd++)
					if (conns[fd].stream) {
						queue_chunk(fd, buf);
						flush_out(fd);
					}
			}
		}
	}
}
