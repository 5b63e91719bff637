/*
 * netaddr.h: whether an IP address is one of the public Internet's, for
 * the node's outgoing requests (docs/nodes.md, "Which addresses a node
 * reaches"). A signature's keyId, an actor's inbox or a follower's
 * address is chosen by whoever sends to the node; with the node's
 * setting peer-addresses = public, nothing is fetched from or delivered
 * to an address of its own machine or network.
 *
 * Not public: IPv4 0.0.0.0/8 (this network, unspecified), 10/8,
 * 172.16/12 and 192.168/16 (RFC 1918), 100.64/10 (shared, CGNAT, RFC
 * 6598), 127/8 (loopback), 169.254/16 (link-local), 192.0.0/24 (IETF
 * protocol assignments), 198.18/15 (benchmarking), 224/4 (multicast)
 * and 240/4 (reserved, broadcast); IPv6 :: and ::1, fc00::/7 (unique
 * local), fe80::/10 (link-local), fec0::/10 (old site-local), ff00::/8
 * (multicast), and every form that carries an IPv4 address inside
 * (::ffff:0:0/96 mapped, ::/96 compatible, 64:ff9b::/96 NAT64, 2002::/16
 * 6to4), judged by the IPv4 address it carries.
 *
 * Pure: bytes in network order, no lookup.
 */
#ifndef PNYX_CORE_NETADDR_H
#define PNYX_CORE_NETADDR_H

/* 1 when the 4 bytes (AF_INET) or 16 bytes (AF_INET6) at a are a public
 * address; 0 otherwise, and for any other family. */
int netaddr_is_public(int family, const unsigned char *a);

/* The same for an address written as text (inet_pton's forms); 0 when
 * text is no address. */
int netaddr_text_is_public(const char *text);

#endif
