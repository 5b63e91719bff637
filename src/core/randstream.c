/*
 * randstream.c: ChaCha20 keystream words and rejection sampling. The
 * keystream is made in whole blocks by crypto_stream_chacha20_ietf_xor_ic
 * over zero bytes, starting each refill at the block counter that follows
 * the last one, so the bytes read are exactly those of one long
 * crypto_stream_chacha20_ietf() call whatever the refill size.
 */
#include <string.h>

#include <sodium.h>

#include "randstream.h"
#include "banned.h"

static const unsigned char zero_nonce[crypto_stream_chacha20_ietf_NONCEBYTES];
static const unsigned char zeros[PX_STREAM_BUF];

static void refill(struct px_stream *s)
{
	crypto_stream_chacha20_ietf_xor_ic(s->buf, zeros, sizeof(s->buf),
					   zero_nonce, s->next_block, s->key);
	s->next_block += PX_STREAM_BUF / 64;
	s->pos = 0;
}

void px_stream_init(struct px_stream *s, const unsigned char seed[32])
{
	memcpy(s->key, seed, 32);
	s->next_block = 0;
	s->pos = sizeof(s->buf); /* refill on first use */
}

void px_stream_bytes(struct px_stream *s, unsigned char *out, size_t len)
{
	while (len) {
		if (s->pos == sizeof(s->buf))
			refill(s);
		size_t n = sizeof(s->buf) - s->pos;
		if (n > len)
			n = len;
		memcpy(out, s->buf + s->pos, n);
		s->pos += n;
		out += n;
		len -= n;
	}
}

uint64_t px_stream_u64(struct px_stream *s)
{
	unsigned char b[8];
	px_stream_bytes(s, b, 8);
	uint64_t x = 0;
	for (int i = 7; i >= 0; i--)
		x = (x << 8) | b[i];
	return x;
}

uint64_t px_stream_below(struct px_stream *s, uint64_t n)
{
	/* 2^64 mod n, computed without 128-bit arithmetic: (2^64 - n) mod n. */
	uint64_t rem = (0 - n) % n;
	uint64_t limit = 0 - rem; /* 2^64 - rem, as a wrapped value; 0 means 2^64 */
	for (;;) {
		uint64_t x = px_stream_u64(s);
		if (rem == 0 || x < limit)
			return x % n;
	}
}
