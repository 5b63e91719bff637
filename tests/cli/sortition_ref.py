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


# ---------------------------------------------------------------------------
# The pool file (docs/sortition.md, section 2.1), read from its bytes by
# the rules written there, with no CSV library: agreement with pnyx on
# edge cases shows the rules say enough.

class PoolError(Exception):
    def __init__(self, line, reason):
        super().__init__(f"{line}: {reason}")
        self.line = line
        self.reason = reason


def _id_ok(b):
    """UTF-8 without C0 control characters or DEL."""
    try:
        s = b.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in s)


def _records(data):
    """[(line, [field bytes])] per section 2.1: LF or CRLF line ends, a
    bare CR outside quotes refused, blank lines skipped, RFC 4180 quotes."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    out, i, line, n = [], 0, 1, len(data)
    while i < n:
        if data[i:i + 1] == b"\n" or data[i:i + 2] == b"\r\n":
            i += 1 if data[i:i + 1] == b"\n" else 2
            line += 1
            continue
        start, fields = line, []
        while True:
            f = bytearray()
            if data[i:i + 1] == b'"':
                opened = line
                i += 1
                while True:
                    if i >= n:
                        raise PoolError(opened, "a quoted field is not closed")
                    c = data[i:i + 1]
                    if c == b'"':
                        if data[i + 1:i + 2] == b'"':
                            f += b'"'
                            i += 2
                            continue
                        i += 1
                        break
                    if c == b"\0":
                        raise PoolError(line, "a NUL byte in a field")
                    if c == b"\n":
                        line += 1
                    f += c
                    i += 1
                if i < n and data[i:i + 1] == b"\r" and data[i + 1:i + 2] != b"\n":
                    raise PoolError(line, "a carriage return without a line feed")
                if i < n and data[i:i + 1] not in (b",", b"\n") and data[i:i + 2] != b"\r\n":
                    raise PoolError(line, "text after a closing quote")
            else:
                while i < n and data[i:i + 1] not in (b",", b"\n") and data[i:i + 2] != b"\r\n":
                    c = data[i:i + 1]
                    if c == b"\r":
                        raise PoolError(line, "a carriage return without a line feed")
                    if c == b'"':
                        raise PoolError(line, "a quote inside an unquoted field")
                    if c == b"\0":
                        raise PoolError(line, "a NUL byte in a field")
                    f += c
                    i += 1
            fields.append(bytes(f))
            if data[i:i + 1] == b",":
                i += 1
                continue
            break
        if i < n:
            i += 2 if data[i:i + 1] == b"\r" else 1
        if out and len(fields) != len(out[0][1]):
            raise PoolError(start, "fields where the header has %d" % len(out[0][1]))
        out.append((start, fields))
        line += 1
    if not out:
        raise PoolError(1, "empty file")
    return out


def read_pool(data, id_column=None):
    """The people of a pool file: [(id, salt bytes or None)] in file
    order. Raises PoolError(line, reason) for what section 2.1 refuses."""
    recs = _records(data)
    header = [h.lower() for h in recs[0][1]]  # bytes: ASCII letters only

    def column(name):
        name = name.encode("utf-8").lower()
        return header.index(name) if name in header else -1
    if id_column is not None:
        idc = column(id_column)
        if idc < 0:
            raise PoolError(1, "no column '%s'" % id_column)
    else:
        idc = max(column("id"), 0)
    sc = column("salt")
    people, seen = [], {}
    for ln, fields in recs[1:]:
        pid = fields[idc]
        if not pid:
            raise PoolError(ln, "the id is empty")
        if not _id_ok(pid):
            raise PoolError(ln, "the id is not UTF-8 text without control characters")
        salt = None
        if sc >= 0 and fields[sc]:
            hx = fields[sc].decode("ascii", "replace")
            if len(hx) != 64 or any(c not in "0123456789abcdefABCDEF" for c in hx):
                raise PoolError(ln, "the salt must be 64 hexadecimal digits")
            salt = bytes.fromhex(hx)
        people.append((pid.decode("utf-8"), salt, ln))
    # duplicates: the later line is named (section 2.1)
    for pid, _, ln in people:
        if pid in seen:
            raise PoolError(ln, "the id '%s' appears twice" % pid)
        seen[pid] = ln
    return [(p, s) for p, s, _ in people]


def source_ok(source):
    """Section 3: non-empty UTF-8 text, no control characters but tab,
    line feed and carriage return."""
    return bool(source) and not any(
        (ord(c) < 0x20 and c not in "\t\n\r") or ord(c) == 0x7F for c in source)


def verify(result, seats, source, ids=None, salts=None, leaves=None):
    """Check a draw result (a dict like pnyx draw --json, any key may be
    missing) in the order of section 6.1, against a pool (ids, salts) or
    a record (leaves in canonical order). Returns None when everything
    stated is the draw, else (check, position)."""
    d, a = result.get("drawn"), result.get("alternates")
    dl, al = result.get("drawn_leaves"), result.get("alternate_leaves")
    has_ids, has_leaves = d is not None or a is not None, dl is not None or al is not None
    if has_ids and has_leaves:
        if len(d or []) != len(dl or []):
            return ("lists", 0)
        if len(a or []) != len(al or []):
            return ("lists", 0)
    if ids is not None:
        order = pool_order(ids, salts)
        all_leaves = [l for l, _ in order]
    else:
        order, all_leaves = None, leaves
    c = commit_leaves(all_leaves)
    if "commitment" in result and result["commitment"] != c.hex():
        return ("commitment", 0)
    nd = len(d if d is not None else dl)
    na = len(a if a is not None else (al or []))
    n = len(all_leaves)
    if nd != seats:
        return ("seats", 0)
    if nd > n or na > n - nd:
        return ("alternates", 0)
    s = seed_of(c, source)
    if "seed" in result and result["seed"] != s.hex():
        return ("seed", 0)
    pos = rank(s, n, nd + na)
    for i, p in enumerate(pos):
        drawn = i < nd
        at = i if drawn else i - nd
        lst_ids, lst_leaves = (d, dl) if drawn else (a, al)
        if order is not None and lst_ids is not None and lst_ids[at] != order[p][1]:
            return ("drawn" if drawn else "alternate", at + 1)
        if lst_leaves is not None and lst_leaves[at] != all_leaves[p].hex():
            return ("drawn_leaf" if drawn else "alternate_leaf", at + 1)
    return None
