// blake2b.js: BLAKE2b (RFC 7693), unkeyed, written for pnyx from the RFC,
// so that a person's page can recompute their own leaf and a renewal's
// commitment (docs/sortition.md section 2) without asking the server to
// say they match. 64-bit words are kept as two 32-bit halves (low, high)
// in Uint32Arrays: exact, and fast enough for a record of millions of
// leaves. Checked against the vectors of docs/sortition.md by the browser
// tests.

const IV = new Uint32Array([
	0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372,
	0x5f1d36f1, 0xa54ff53a, 0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c,
	0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

const SIGMA = [
	[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
	[14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
	[11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
	[7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
	[9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
	[2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
	[12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
	[13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
	[6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
	[10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

const v = new Uint32Array(32);
const m = new Uint32Array(32);

// v[a] += v[b] (indices of the low halves)
function add(a, b) {
	const lo = v[a] + v[b];
	v[a + 1] = v[a + 1] + v[b + 1] + (lo > 0xffffffff ? 1 : 0);
	v[a] = lo;
}

// v[a] += m[x]
function addm(a, x) {
	const lo = v[a] + m[x];
	v[a + 1] = v[a + 1] + m[x + 1] + (lo > 0xffffffff ? 1 : 0);
	v[a] = lo;
}

// The mixing function G of RFC 7693 section 3.1, on word indices a..d
// (already doubled) with the message words x and y (doubled).
function mix(a, b, c, d, x, y) {
	let lo, hi;
	add(a, b);
	addm(a, x);
	lo = v[d] ^ v[a];          // rotate right by 32: swap the halves
	hi = v[d + 1] ^ v[a + 1];
	v[d] = hi;
	v[d + 1] = lo;
	add(c, d);
	lo = v[b] ^ v[c];          // rotate right by 24
	hi = v[b + 1] ^ v[c + 1];
	v[b] = (lo >>> 24) | (hi << 8);
	v[b + 1] = (hi >>> 24) | (lo << 8);
	add(a, b);
	addm(a, y);
	lo = v[d] ^ v[a];          // rotate right by 16
	hi = v[d + 1] ^ v[a + 1];
	v[d] = (lo >>> 16) | (hi << 16);
	v[d + 1] = (hi >>> 16) | (lo << 16);
	add(c, d);
	lo = v[b] ^ v[c];          // rotate right by 63: left by 1
	hi = v[b + 1] ^ v[c + 1];
	v[b] = (lo << 1) | (hi >>> 31);
	v[b + 1] = (hi << 1) | (lo >>> 31);
}

// The compression function F (section 3.2) of block (128 bytes at off).
function compress(h, block, off, t, last) {
	for (let i = 0; i < 16; i++) {
		v[i] = h[i];
		v[i + 16] = IV[i];
	}
	// the counter: t bytes so far, below 2^53
	v[24] ^= t >>> 0;
	v[25] ^= Math.floor(t / 0x100000000);
	if (last) {
		v[28] = ~v[28];
		v[29] = ~v[29];
	}
	for (let i = 0; i < 32; i++) {
		const j = off + i * 4;
		m[i] = block[j] | (block[j + 1] << 8) | (block[j + 2] << 16) | (block[j + 3] << 24);
	}
	for (let r = 0; r < 12; r++) {
		const s = SIGMA[r % 10];
		mix(0, 8, 16, 24, s[0] * 2, s[1] * 2);
		mix(2, 10, 18, 26, s[2] * 2, s[3] * 2);
		mix(4, 12, 20, 28, s[4] * 2, s[5] * 2);
		mix(6, 14, 22, 30, s[6] * 2, s[7] * 2);
		mix(0, 10, 20, 30, s[8] * 2, s[9] * 2);
		mix(2, 12, 22, 24, s[10] * 2, s[11] * 2);
		mix(4, 14, 16, 26, s[12] * 2, s[13] * 2);
		mix(6, 8, 18, 28, s[14] * 2, s[15] * 2);
	}
	for (let i = 0; i < 16; i++)
		h[i] = h[i] ^ v[i] ^ v[i + 16];
}

// An unkeyed BLAKE2b of outlen bytes (1..64), fed with update(bytes).
export class Blake2b {
	constructor(outlen = 32) {
		this.outlen = outlen;
		this.h = new Uint32Array(IV);
		this.h[0] ^= 0x01010000 ^ outlen;
		this.buf = new Uint8Array(128);
		this.fill = 0;
		this.t = 0;
	}

	update(bytes) {
		for (let i = 0; i < bytes.length;) {
			if (this.fill === 128) { // a full block, and more to come: not the last
				this.t += 128;
				compress(this.h, this.buf, 0, this.t, false);
				this.fill = 0;
			}
			const take = Math.min(128 - this.fill, bytes.length - i);
			this.buf.set(bytes.subarray(i, i + take), this.fill);
			this.fill += take;
			i += take;
		}
		return this;
	}

	digest() {
		this.t += this.fill;
		this.buf.fill(0, this.fill);
		compress(this.h, this.buf, 0, this.t, true);
		const out = new Uint8Array(this.outlen);
		for (let i = 0; i < this.outlen; i++)
			out[i] = this.h[i >> 2] >>> (8 * (i & 3));
		return out;
	}
}

export function hex(bytes) {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function unhex(s) {
	if (!/^([0-9a-f]{2})*$/i.test(s))
		throw new Error('not hexadecimal');
	const out = new Uint8Array(s.length / 2);
	for (let i = 0; i < out.length; i++)
		out[i] = parseInt(s.substr(2 * i, 2), 16);
	return out;
}

const enc = new TextEncoder();

function be(n, width) {
	const out = new Uint8Array(width);
	for (let i = width - 1; i >= 0; i--) {
		out[i] = n % 256;
		n = Math.floor(n / 256);
	}
	return out;
}

// A person's leaf (docs/sortition.md 2): BLAKE2b-256 of the tag, the
// id's length (u32, big-endian), the id's UTF-8 bytes, the salt's length
// (u8) and the salt (none, or 32 bytes).
export function leafOf(id, salt) {
	const idb = enc.encode(id);
	const s = salt ? unhex(salt) : new Uint8Array(0);
	return hex(new Blake2b(32).update(enc.encode('pnyx/sortition/v1/person'))
		.update(be(idb.length, 4)).update(idb).update(Uint8Array.of(s.length)).update(s)
		.digest());
}

// A pool's commitment over its leaves (hex, in canonical order).
export function commitmentOf(leaves) {
	const b = new Blake2b(32).update(enc.encode('pnyx/sortition/v1/pool'))
		.update(be(leaves.length, 8));
	for (const l of leaves)
		b.update(unhex(l));
	return hex(b.digest());
}
