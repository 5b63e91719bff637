/* Unit tests for src/http/conntrack.c: a connection still waiting for its
 * request head, or its body, past the deadline has its socket shut down
 * (the peer sees the end of the stream); one that is replying is left
 * alone; one that was closed is forgotten. Sockets are socketpairs; the
 * deadlines are 1 second, so each test waits about 2.5 s. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/conntrack.h"

static void pair(int sv[2])
{
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
}

/* What the peer sees: 1 the end of the stream, 0 nothing yet. */
static int peer_sees_end(int fd)
{
	char c;
	ssize_t n = read(fd, &c, 1);
	if (n == 0)
		return 1;
	assert_true(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
	return 0;
}

static void wait_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void test_conntrack_cuts_a_slow_head_and_a_slow_body(void **state)
{
	(void)state;
	int head[2], body[2];
	pair(head);
	pair(body);
	struct conntrack *t = conntrack_new(1, 1, 0);
	assert_non_null(t);
	struct conn_track *h = conntrack_started(t, head[0], NULL);
	struct conn_track *b = conntrack_started(t, body[0], NULL);
	conntrack_phase(t, b, CONN_BODY);
	assert_int_equal(peer_sees_end(head[1]), 0);
	wait_ms(2500);
	assert_int_equal(peer_sees_end(head[1]), 1);
	assert_int_equal(peer_sees_end(body[1]), 1);
	assert_int_equal(conntrack_cut(t), 2);
	conntrack_closed(t, h);
	conntrack_closed(t, b);
	conntrack_free(t);
	for (int i = 0; i < 2; i++) {
		close(head[i]);
		close(body[i]);
	}
}

static void test_conntrack_spares_replies_and_forgets_closed(void **state)
{
	(void)state;
	int reply[2], gone[2];
	pair(reply);
	pair(gone);
	struct conntrack *t = conntrack_new(1, 1, 0);
	assert_non_null(t);
	struct conn_track *r = conntrack_started(t, reply[0], NULL);
	struct conn_track *g = conntrack_started(t, gone[0], NULL);
	conntrack_phase(t, r, CONN_REPLY);
	conntrack_closed(t, g); /* forgotten: its descriptor is not touched */
	wait_ms(2500);
	assert_int_equal(peer_sees_end(reply[1]), 0);
	assert_int_equal(peer_sees_end(gone[1]), 0);
	assert_int_equal(conntrack_cut(t), 0);
	/* a kept-alive connection waits for its next head: a new deadline */
	conntrack_phase(t, r, CONN_HEAD);
	assert_int_equal(peer_sees_end(reply[1]), 0);
	wait_ms(2500);
	assert_int_equal(peer_sees_end(reply[1]), 1);
	conntrack_closed(t, r);
	conntrack_free(t);
	for (int i = 0; i < 2; i++) {
		close(reply[i]);
		close(gone[i]);
	}
}

static void test_conntrack_null_records_are_ignored(void **state)
{
	(void)state;
	struct conntrack *t = conntrack_new(1, 1, 0);
	assert_non_null(t);
	conntrack_phase(t, NULL, CONN_BODY);
	conntrack_closed(t, NULL);
	conntrack_free(t);
	conntrack_free(NULL);
}

static struct sockaddr_in6 v6(const char *text)
{
	struct sockaddr_in6 a;
	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, text, &a.sin6_addr), 1);
	return a;
}

static struct sockaddr_in v4(const char *text)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, text, &a.sin_addr), 1);
	return a;
}

static void test_conntrack_counts_per_address_and_ipv6_64(void **state)
{
	(void)state;
	struct conntrack *t = conntrack_new(60, 60, 2);
	assert_non_null(t);
	struct sockaddr_in a = v4("192.0.2.1"), b = v4("192.0.2.2");
	struct sockaddr_in6 x1 = v6("2001:db8:1:2::1"), x2 = v6("2001:db8:1:2:ffff::9"),
			    y = v6("2001:db8:1:3::1"), mapped = v6("::ffff:192.0.2.1");
	const struct sockaddr *sa = (const void *)&a, *sb = (const void *)&b,
			      *sx1 = (const void *)&x1, *sx2 = (const void *)&x2,
			      *sy = (const void *)&y, *sm = (const void *)&mapped;
	struct conn_track *c[6];
	assert_true(conntrack_admit(t, sa));
	c[0] = conntrack_started(t, -1, sa);
	c[1] = conntrack_started(t, -1, sm); /* the same IPv4 address */
	assert_int_equal(conntrack_from(t, sa), 2);
	assert_false(conntrack_admit(t, sa));
	assert_true(conntrack_admit(t, sb));
	/* two addresses of one /64 share a count; the next /64 does not */
	c[2] = conntrack_started(t, -1, sx1);
	c[3] = conntrack_started(t, -1, sx2);
	assert_false(conntrack_admit(t, sx1));
	assert_true(conntrack_admit(t, sy));
	c[4] = conntrack_started(t, -1, sy);
	c[5] = conntrack_started(t, -1, NULL); /* not counted anywhere */
	assert_int_equal(conntrack_from(t, sx2), 2);
	conntrack_closed(t, c[0]);
	assert_true(conntrack_admit(t, sa));
	assert_int_equal(conntrack_from(t, sa), 1);
	conntrack_closed(t, c[1]);
	assert_int_equal(conntrack_from(t, sa), 0);
	for (int i = 2; i < 6; i++)
		conntrack_closed(t, c[i]);
	assert_int_equal(conntrack_from(t, sx1), 0);
	assert_int_equal(conntrack_from(t, sy), 0);
	conntrack_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conntrack_cuts_a_slow_head_and_a_slow_body),
		cmocka_unit_test(test_conntrack_spares_replies_and_forgets_closed),
		cmocka_unit_test(test_conntrack_null_records_are_ignored),
		cmocka_unit_test(test_conntrack_counts_per_address_and_ipv6_64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
