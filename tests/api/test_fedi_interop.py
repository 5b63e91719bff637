"""Issue 17, item 8: a real ActivityPub implementation that is not ours
follows an assembly and receives its posts.

Fedify (https://fedify.dev, npm's @fedify/fedify, pinned in
tests/fedi/package-lock.json) plays a fediverse user, "ana", on a loopback
port (tests/fedi/follow.mjs): it finds the assembly by WebFinger
(acct:SLUG@HOST), follows it, receives pnyx's Accept, then the post of a
motion the assembly adopts (driven here through pnyx's API), and takes its
follow back through pnyx's shared inbox. Fedify checks pnyx's HTTP
signatures itself (RSA, rsa-sha256: the only kind it verifies, like
Mastodon) and pnyx checks Fedify's: an inbox answers 401 to a signature
it cannot verify, and every answer is asserted here.

Skipped only when node is not installed (scripts/deps installs it; CI
runs this)."""
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time

import pytest

from conftest import decide, schedule_now, RULES

AS = {"Accept": "application/activity+json"}
HERE = os.path.dirname(os.path.abspath(__file__))
FEDI = os.path.join(HERE, "..", "fedi")

pytestmark = pytest.mark.skipif(shutil.which("node") is None,
                                reason="node is not installed (scripts/deps)")


def npm_ci():
    """Fedify as tests/fedi/package-lock.json pins it, installed once: the
    suite's two lanes (tests/run) may get here at the same moment."""
    with open(os.path.join(FEDI, ".install.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not os.path.isdir(os.path.join(FEDI, "node_modules", "@fedify", "fedify")):
            r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"],
                               cwd=FEDI, timeout=300, capture_output=True, text=True)
            assert r.returncode == 0, "npm ci in tests/fedi: " + r.stderr[-2000:]


class Fedify:
    """The node program, read a JSON line at a time with deadlines."""

    def __init__(self, base, slug, log):
        self.log = log
        self.err = open(log, "w")
        self.p = subprocess.Popen(["node", os.path.join(FEDI, "follow.mjs"), base, slug],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.err, text=True)
        self.lines = queue.Queue()
        self.inbox = []  # (status, type) of what reached ana's inboxes
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.put(json.loads(line))
        self.lines.put(None)

    def expect(self, key, timeout=30, received=None):
        """The next line saying key; with received, until Fedify answered
        an activity of that type."""
        deadline = time.monotonic() + timeout
        while True:
            if received and [t for _, t in self.inbox if t == received]:
                return None
            left = deadline - time.monotonic()
            assert left > 0, f"Fedify said no {key!r} in {timeout} s: " + self.stderr()
            try:
                o = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            assert o is not None, "Fedify ended: " + self.stderr()
            assert "error" not in o, o["error"]
            if "received" in o:
                self.inbox.append((o["received"], o["type"]))
                continue
            if received:
                continue
            if key in o:
                return o

    def stderr(self):
        with open(self.log) as f:
            return f.read()[-4000:]

    def tell(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait(timeout=10)
        self.err.close()


@pytest.fixture(scope="module")
def fedify():
    npm_ci()
    return None


def test_fedify_follows_an_assembly_and_receives_its_posts(srv, fedify, tmp_path):
    handle, tok = srv.user()
    r = srv.found(tok, slug="harbour", name="Harbour Assembly", rule=RULES,
                  schedule=schedule_now())
    assert r.status_code == 201, r.text
    f = Fedify(srv.base, "harbour", str(tmp_path / "fedify.err"))
    try:
        me = f.expect("ready")["ready"]
        found = f.expect("found")
        assert found["found"] == srv.base + "/bodies/harbour"
        assert found["type"] == "Group"
        assert found["name"] == "Harbour Assembly"
        accept = f.expect("accepted")
        assert accept["actor"] == srv.base + "/bodies/harbour"
        assert accept["follow"].endswith("/follows/1")
        # pnyx verified Fedify's RSA signature and recorded ana
        followers = srv.get("/bodies/harbour/followers", headers=AS).json()
        assert followers["type"] == "OrderedCollection"
        assert followers["totalItems"] == 1
        assert followers["orderedItems"] == [me]

        decide(srv, "harbour", tok, "resolution", title="Open the boat ramp at dawn",
               text="From six.")
        f.tell("post")
        post = f.expect("post")
        assert "Adopted: “Open the boat ramp at dawn”" in post["post"]
        assert post["url"].startswith(srv.base + "/motion.html?id=")
        assert post["attributedTo"] == srv.base + "/bodies/harbour"
        assert post["actor"] == srv.base + "/bodies/harbour"
        # the post ana received is the one the outbox lists
        box = srv.get("/bodies/harbour/outbox?page=1", headers=AS).json()
        assert post["activity"] in [c["id"] for c in box["orderedItems"]]
        # Fedify took both (it answers 401 to a signature it cannot verify)
        f.expect(None, received="Create")
        assert (202, "Accept") in f.inbox and (202, "Create") in f.inbox, f.inbox
        assert all(status == 202 for status, _ in f.inbox), f.inbox

        f.tell("undo")
        f.expect("undone")
        followers = srv.get("/bodies/harbour/followers", headers=AS).json()
        assert followers["totalItems"] == 0 and followers["orderedItems"] == []
        assert f.p.wait(timeout=20) == 0, f.stderr()
    finally:
        f.close()
    # following is no governance act: nothing of it is in the journal, and
    # the state still rebuilds from the journal
    actions = [e["action"] for e in srv.get("/api/v1/journal?limit=1000").json()["entries"]]
    assert not [a for a in actions if a.startswith("node.")], actions
