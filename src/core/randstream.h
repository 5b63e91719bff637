/*
 * randstream.h: the deterministic random stream of pnyx draws, and
 * unbiased bounded integers taken from it (docs/sortition.md sections 4
 * and 5 are the specification).
 *
 * The stream is the ChaCha20 keystream of RFC 8439 (the "IETF" variant:
 * 96-bit nonce, 32-bit block counter), keyed by a 32-byte seed, with the
 * all-zero nonce and the block counter starting at 0; that is libsodium's
 * crypto_stream_chacha20_ietf(). Words are 8 consecutive keystream bytes
 * read little-endian. A bounded integer below n rejects words at or above
 * the largest multiple of n that fits in 2^64, so every value is exactly
 * equally likely.
 *
 * Ownership: the caller embeds struct px_stream; it holds no heap memory.
 * The caller must have called sodium_init() once.
 */
#ifndef PNYX_RANDSTREAM_H
#define PNYX_RANDSTREAM_H

#include <stddef.h>
#include <stdint.h>

#define PX_STREAM_BUF 512 /* keystream bytes made at a time: 8 blocks */

struct px_stream {
	unsigned char key[32];
	uint32_t next_block;  /* block counter of the next refill */
	size_t pos;           /* bytes of buf already used */
	unsigned char buf[PX_STREAM_BUF];
};

void px_stream_init(struct px_stream *s, const unsigned char seed[32]);

/* The next len keystream bytes. */
void px_stream_bytes(struct px_stream *s, unsigned char *out, size_t len);

/* The next 64-bit word: 8 keystream bytes, little-endian. */
uint64_t px_stream_u64(struct px_stream *s);

/* A uniform integer in [0, n), n >= 1, by rejection (consumes one word
 * per attempt, even when n == 1). */
uint64_t px_stream_below(struct px_stream *s, uint64_t n);

#endif
