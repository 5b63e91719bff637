"""An independent implementation of the draw of docs/sortition.md.

Written from the specification alone, in plain Python: BLAKE2b from
hashlib, and ChaCha20 (RFC 8439, section 2.3) written out here rather than
taken from libsodium, so agreement with `pnyx draw` shows the specification
is implementable. Used by tests/cli/test_sortition*.py and, as the
baseline, by bench/sortition/run.
"""
import hashlib
import struct

TAG_PERSON = b"pnyx/sortition/v1/person"
TAG_POOL = b"pnyx/sortition/v1/pool"
TAG_SEED = b"pnyx/sortition/v1/seed"
TAG_LOTTERY = b"pnyx/sortition/v1/lottery"

M32 = 0xFFFFFFFF


def h(*parts):
    d = hashlib.blake2b(digest_size=32)
    for p in parts:
        d.update(p)
    return d.digest()


def leaf(pid, salt=None):
    b = pid.encode("utf-8")
    s = salt or b""
    return h(TAG_PERSON, struct.pack(">I", len(b)), b, bytes([len(s)]), s)


def commit_leaves(leaves):
    return h(TAG_POOL, struct.pack(">Q", len(leaves)), *leaves)


def pool_order(ids, salts=None):
    """[(leaf, id)] in canonical order."""
    salts = salts or {}
    return sorted((leaf(i, salts.get(i)), i) for i in ids)


def seed_of(commitment, source):
    b = source.encode("utf-8")
    return h(TAG_SEED, commitment, struct.pack(">Q", len(b)), b)


def _rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & M32


def _quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & M32; s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & M32; s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & M32; s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & M32; s[b] = _rotl(s[b] ^ s[c], 7)


def chacha20_block(key, counter, nonce=b"\0" * 12):
    const = [0x61707865, 0x3320646E, 0x79622D32, 0x6B206574]
    state = const + list(struct.unpack("<8I", key)) + [counter & M32] + \
        list(struct.unpack("<3I", nonce))
    w = state[:]
    for _ in range(10):
        _quarter(w, 0, 4, 8, 12); _quarter(w, 1, 5, 9, 13)
        _quarter(w, 2, 6, 10, 14); _quarter(w, 3, 7, 11, 15)
        _quarter(w, 0, 5, 10, 15); _quarter(w, 1, 6, 11, 12)
        _quarter(w, 2, 7, 8, 13); _quarter(w, 3, 4, 9, 14)
    return struct.pack("<16I", *[(w[i] + state[i]) & M32 for i in range(16)])


class Stream:
    def __init__(self, seed):
        self.key = seed
        self.block = 0
        self.buf = b""

    def bytes(self, n):
        while len(self.buf) < n:
            self.buf += chacha20_block(self.key, self.block)
            self.block += 1
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def u64(self):
        return struct.unpack("<Q", self.bytes(8))[0]

    def below(self, n):
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.u64()
            if x < limit:
                return x % n


def rank(seed, n, r):
    """The first r positions of the partial Fisher-Yates shuffle."""
    st = Stream(seed)
    moved = {}
    out = []
    for i in range(r):
        j = i + st.below(n - i)
        vi, vj = moved.get(i, i), moved.get(j, j)
        moved[j] = vi
        moved[i] = vj
        out.append(vj)
    return out


def draw(ids, seats, source, alternates=None, salts=None):
    order = pool_order(ids, salts)
    c = commit_leaves([l for l, _ in order])
    s = seed_of(c, source)
    n = len(order)
    r = n if alternates is None else min(n, seats + alternates)
    positions = rank(s, n, r)
    ranked = [order[p][1] for p in positions]
    leaves = [order[p][0].hex() for p in positions]
    return {"commitment": c.hex(), "seed": s.hex(),
            "drawn": ranked[:seats], "alternates": ranked[seats:],
            "drawn_leaves": leaves[:seats], "alternate_leaves": leaves[seats:]}


def lottery_commitment(panels):
    """panels: list of (multiplicity, [member ids]) in any order."""
    enc = []
    for mult, members in panels:
        ms = sorted(m.encode("utf-8") for m in members)
        body = struct.pack(">I", len(ms)) + b"".join(
            struct.pack(">I", len(m)) + m for m in ms)
        enc.append((body, mult))
    enc.sort()
    total = sum(m for _, m in enc)
    return h(TAG_LOTTERY, struct.pack(">II", total, len(enc)),
             *[struct.pack(">I", m) + b for b, m in enc]), enc
