/*
 * netaddr.c: public and non-public IP addresses (netaddr.h).
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "core/netaddr.h"
#include "banned.h"

/* An IPv4 range: the first bytes under a mask of bits. */
struct v4_range {
	unsigned char net[4];
	int bits;
};

static const struct v4_range v4_closed[] = {
	{ { 0, 0, 0, 0 }, 8 },       /* this network, unspecified */
	{ { 10, 0, 0, 0 }, 8 },      /* RFC 1918 */
	{ { 100, 64, 0, 0 }, 10 },   /* shared address space, CGNAT */
	{ { 127, 0, 0, 0 }, 8 },     /* loopback */
	{ { 169, 254, 0, 0 }, 16 },  /* link-local */
	{ { 172, 16, 0, 0 }, 12 },   /* RFC 1918 */
	{ { 192, 0, 0, 0 }, 24 },    /* IETF protocol assignments */
	{ { 192, 168, 0, 0 }, 16 },  /* RFC 1918 */
	{ { 198, 18, 0, 0 }, 15 },   /* benchmarking */
	{ { 224, 0, 0, 0 }, 4 },     /* multicast */
	{ { 240, 0, 0, 0 }, 4 },     /* reserved, and the broadcast address */
};

static int in_prefix(const unsigned char *a, const unsigned char *net, int bits)
{
	int whole = bits / 8, rest = bits % 8;
	if (memcmp(a, net, (size_t)whole))
		return 0;
	if (!rest)
		return 1;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[whole] & mask) == (net[whole] & mask);
}

static int v4_public(const unsigned char *a)
{
	for (size_t i = 0; i < sizeof v4_closed / sizeof v4_closed[0]; i++)
		if (in_prefix(a, v4_closed[i].net, v4_closed[i].bits))
			return 0;
	return 1;
}

static int v6_public(const unsigned char *a)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const unsigned char zero[12] = { 0 };
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b };
	if (!memcmp(a, mapped, 12) || !memcmp(a, nat64, 12))
		return v4_public(a + 12);
	if (!memcmp(a, zero, 12)) /* ::, ::1 and the old IPv4-compatible form */
		return a[12] || a[13] ? v4_public(a + 12) : 0;
	if (a[0] == 0x20 && a[1] == 0x02) /* 6to4: 2002:V4ADDR::/48 */
		return v4_public(a + 2);
	if ((a[0] & 0xfe) == 0xfc)        /* unique local fc00::/7 */
		return 0;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) /* link-local fe80::/10 */
		return 0;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) /* site-local fec0::/10 */
		return 0;
	if (a[0] == 0xff)                 /* multicast */
		return 0;
	return 1;
}

int netaddr_is_public(int family, const unsigned char *a)
{
	if (family == AF_INET)
		return v4_public(a);
	if (family == AF_INET6)
		return v6_public(a);
	return 0;
}

int netaddr_text_is_public(const char *text)
{
	unsigned char a[16];
	if (inet_pton(AF_INET, text, a) == 1)
		return v4_public(a);
	if (inet_pton(AF_INET6, text, a) == 1)
		return v6_public(a);
	return 0;
}
