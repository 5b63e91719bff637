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
#include <fcntl.h>
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
	struct conntrack *t = conntrack_new(1, 1);
	assert_non_null(t);
	struct conn_track *h = conntrack_started(t, head[0]);
	struct conn_track *b = conntrack_started(t, body[0]);
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
	struct conntrack *t = conntrack_new(1, 1);
	assert_non_null(t);
	struct conn_track *r = conntrack_started(t, reply[0]);
	struct conn_track *g = conntrack_started(t, gone[0]);
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
	struct conntrack *t = conntrack_new(1, 1);
	assert_non_null(t);
	conntrack_phase(t, NULL, CONN_BODY);
	conntrack_closed(t, NULL);
	conntrack_free(t);
	conntrack_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conntrack_cuts_a_slow_head_and_a_slow_body),
		cmocka_unit_test(test_conntrack_spares_replies_and_forgets_closed),
		cmocka_unit_test(test_conntrack_null_records_are_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
