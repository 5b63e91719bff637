/* Unit tests for src/core/netaddr.c: which addresses the node may reach
 * with peer-addresses = public. Each closed range is tried at its edges,
 * and each IPv6 form that carries an IPv4 address with a closed and an
 * open one inside. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sys/socket.h>

#include "core/netaddr.h"

static void test_netaddr_ipv4_closed_ranges_and_their_edges(void **state)
{
	(void)state;
	static const char *closed[] = {
		"0.0.0.0", "0.255.255.255", "10.0.0.1", "10.255.255.255",
		"100.64.0.0", "100.127.255.255", "127.0.0.1", "127.255.255.254",
		"169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8",
		"192.168.1.1", "198.18.0.1", "198.19.255.255", "224.0.0.1",
		"239.255.255.250", "240.0.0.1", "255.255.255.255",
	};
	static const char *open[] = {
		"1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255",
		"100.128.0.0", "126.255.255.255", "128.0.0.0", "169.253.255.255",
		"172.15.255.255", "172.32.0.0", "192.0.1.0", "192.167.255.255",
		"192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
		"93.184.216.34",
	};
	for (size_t i = 0; i < sizeof closed / sizeof *closed; i++)
		if (netaddr_text_is_public(closed[i]))
			fail_msg("%s taken as public", closed[i]);
	for (size_t i = 0; i < sizeof open / sizeof *open; i++)
		if (!netaddr_text_is_public(open[i]))
			fail_msg("%s taken as not public", open[i]);
}

static void test_netaddr_ipv6_closed_ranges_and_ipv4_inside(void **state)
{
	(void)state;
	static const char *closed[] = {
		"::", "::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1",
		"fec0::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3",
		"::ffff:169.254.169.254", "::ffff:100.64.0.1", "::127.0.0.1",
		"64:ff9b::a00:1", "2002:7f00:1::", "2002:c0a8:101::1",
	};
	static const char *open[] = {
		"2001:db8::1", "2606:4700:4700::1111", "fbff::1", "fe7f::1",
		"::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1",
		"::8.8.8.8",
	};
	for (size_t i = 0; i < sizeof closed / sizeof *closed; i++)
		if (netaddr_text_is_public(closed[i]))
			fail_msg("%s taken as public", closed[i]);
	for (size_t i = 0; i < sizeof open / sizeof *open; i++)
		if (!netaddr_text_is_public(open[i]))
			fail_msg("%s taken as not public", open[i]);
}

static void test_netaddr_refuses_what_is_no_address(void **state)
{
	(void)state;
	assert_false(netaddr_text_is_public("localhost"));
	assert_false(netaddr_text_is_public(""));
	assert_false(netaddr_text_is_public("1.1.1"));
	unsigned char a[16] = { 1, 1, 1, 1 };
	assert_false(netaddr_is_public(AF_UNIX, a));
	assert_true(netaddr_is_public(AF_INET, a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_netaddr_ipv4_closed_ranges_and_their_edges),
		cmocka_unit_test(test_netaddr_ipv6_closed_ranges_and_ipv4_inside),
		cmocka_unit_test(test_netaddr_refuses_what_is_no_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
