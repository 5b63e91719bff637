"""bench/nodes/nodes.py: what messages between nodes cost (docs/nodes.md).

Two real `pnyx serve` processes, H and M, each with its own database. H
hosts the delegate assembly coast, with the local assembly cove (its
delegate on H) and north, a local assembly of M, accepted by coast's
decision; north elected its delegate, whose credential H holds.

1. Deliveries. N votes of north's delegate on one open motion of coast,
   cast on M (POST /api/v1/bodies/north/remote/votes): each is queued,
   signed, sent by M's delivery thread, checked by H (HTTP signature and
   the activity's own), journalled and counted. Timed from the first
   cast to the last vote taken on H: deliveries per second. Baseline:
   N votes of cove's delegate on the same motion, cast on H itself.
2. Inbox verifications. One activity H took, resent NODES_VERIFY times
   under one HTTP signature: each time both signatures are checked, then
   it is dropped as a duplicate. Baseline: GET /api/v1/health, the
   cheapest answer of the same server.

Each line prints both rates and their ratio; one request at a time;
the verifications and their baseline best of three runs each."""
import base64
import datetime
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))
os.environ.setdefault("PNYX_TEST_PEER_SCHEDULE", "50,400,60")
from conftest import RULES, Server, checkin, decide, schedule_now, submit  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import (  # noqa: E402
    Ed25519PrivateKey)

N = int(os.environ.get("NODES_N", "300"))
VERIFY = int(os.environ.get("NODES_VERIFY", "500"))
PEERS = int(os.environ.get("NODES_PEERS", "8"))


def wait(what, deadline=120):
    end = time.time() + deadline
    while time.time() < end:
        v = what()
        if v:
            return v
        time.sleep(0.01)
    raise SystemExit("bench/nodes: not within %d s" % deadline)


def count(db, sql, *params):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def main():
    h = Server(tempfile.mkdtemp(prefix="pnyx-bench-nodes-h-"))
    m = Server(tempfile.mkdtemp(prefix="pnyx-bench-nodes-m-"))
    try:
        ch, th = h.user()
        nd, tm = m.user()
        cove = h.found(th, rule=RULES, schedule=schedule_now()).json()["slug"]
        assert decide(h, cove, th, "found_federation", {
            "slug": "coast", "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "Equals.", "rule": RULES,
            "schedule": schedule_now(), "delegate": ch,
            "mandate": "Speak."})["status"] == "adopted"
        actor = f"{h.base}/bodies/coast"
        north = m.found(tm, rule=RULES, schedule=schedule_now()).json()["slug"]
        assert decide(m, north, tm, "join_remote_federation",
                      {"actor": actor})["status"] == "adopted"
        rel = wait(lambda: h.get("/api/v1/bodies/coast/remote").json()["relations"])
        assert decide(h, "coast", th, "accept_remote_member",
                      {"request": rel[0]["id"]})["status"] == "adopted"
        wait(lambda: m.get(f"/api/v1/bodies/{north}/remote").json()["relations"][0][
            "status"] == "active")
        assert decide(m, north, tm, "elect_remote_delegate", {
            "actor": actor, "delegate": nd, "mandate": "Speak."})["status"] == "adopted"
        wait(lambda: h.get("/api/v1/bodies/coast/remote").json()["relations"][0][
            "delegates"])
        mo = submit(h, "coast", th, title="Night buses")
        checkin(h, mo["meeting"], th, th)
        r = h.post(f"/api/v1/motions/{mo['id']}/voting", {"mode": "devices"}, token=th)
        assert r.status_code == 200, r.text
        positions = ["yes", "no", "abstain"]

        # 1. deliveries, against votes cast on the node itself
        t0 = time.perf_counter()
        for i in range(N):
            r = h.post(f"/api/v1/motions/{mo['id']}/votes", {"position": positions[i % 3]},
                       token=th)
            assert r.status_code in (200, 201), r.text
        local = N / (time.perf_counter() - t0)
        before = count(h.db, "SELECT count(*) FROM node_inbox WHERE type = 'Create'")
        t0 = time.perf_counter()
        for i in range(N):
            r = m.post(f"/api/v1/bodies/{north}/remote/votes",
                       {"actor": actor, "motion": mo["id"], "position": positions[i % 3]},
                       token=tm)
            assert r.status_code == 202, r.text
        cast = time.perf_counter() - t0
        wait(lambda: count(h.db, "SELECT count(*) FROM node_inbox WHERE type = 'Create'")
             - before >= N)
        remote = N / (time.perf_counter() - t0)
        print(f"{'':32} {'per second':>11} {'baseline/s':>11} {'ratio':>7}")
        print(f"{'votes delivered from a node':32} {remote:11.1f} {local:11.1f}"
              f" {remote / local:7.2f}   ({N} votes; baseline: cast on the node itself;"
              f" casting on M took {cast:.2f} s)")

        # 2. inbox verifications, against the cheapest answer
        act = json.loads(count(h.db, "SELECT json_extract(payload, '$.activity') FROM"
                               " journal WHERE action = 'node.receive' AND"
                               " json_extract(payload, '$.activity.type') = 'Create'"
                               " ORDER BY seq DESC LIMIT 1"))
        with open(m.db + ".key", "rb") as f:
            key = Ed25519PrivateKey.from_private_bytes(f.read()[:32])
        body = json.dumps(act).encode()
        path = "/bodies/coast/inbox"
        host = "127.0.0.1:%d" % h.port
        date = datetime.datetime.now(datetime.timezone.utc).strftime(
            "%a, %d %b %Y %H:%M:%S GMT")
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        text = "(request-target): post %s\nhost: %s\ndate: %s\ndigest: %s" % (
            path, host, date, digest)
        sig = base64.b64encode(key.sign(text.encode())).decode()
        headers = {"Date": date, "Digest": digest, "Host": host,
                   "Content-Type": "application/activity+json",
                   "Signature": 'keyId="%s#main-key",algorithm="hs2019",headers='
                                '"(request-target) host date digest",signature="%s"'
                                % (act["actor"], sig)}
        s = requests.Session()  # one connection, kept: the request itself is measured
        best = 0.0
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(VERIFY):
                r = s.get(h.base + "/api/v1/health")
                assert r.status_code == 200
            best = max(best, VERIFY / (time.perf_counter() - t0))
        verify = 0.0
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(VERIFY):
                r = s.post(h.base + path, data=body, headers=headers)
                assert r.status_code == 202 and r.json().get("duplicate"), r.text
            verify = max(verify, VERIFY / (time.perf_counter() - t0))
        print(f"{'inbox verifications':32} {verify:11.1f} {best:11.1f} {verify / best:7.2f}"
              f"   ({VERIFY} resent; baseline: GET /api/v1/health)")
    finally:
        for s in (h, m):
            s.stop()
    spread()


def status_of(srv, proposal):
    return srv.get(f"/api/v1/proposals/{proposal}/status").json()["versions"][-1]


def spread():
    """3. A proposal travelling to PEERS local assemblies, each on a node
    of its own, and their acceptances coming back (the condition: all of
    them), against the same federation on one node."""
    print(f"\n{PEERS} local assemblies answering a proposal of a delegate assembly"
          f" (seconds)")
    # the baseline: every assembly on one node
    one = Server(tempfile.mkdtemp(prefix="pnyx-bench-nodes-one-"))
    try:
        hd, tok = one.user()
        cove = one.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
        assert decide(one, cove, tok, "found_federation", {
            "slug": "coast", "name": "Coast", "purpose": "transport", "region": "coast",
            "statement": "Equals.", "rule": RULES, "schedule": schedule_now(),
            "delegate": hd, "mandate": "Speak."})["status"] == "adopted"
        locals_ = []
        for _i in range(PEERS):
            slug = one.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
            assert decide(one, slug, tok, "join_federation",
                          {"federation": "coast"})["status"] == "adopted"
            locals_.append(slug)
        t0 = time.perf_counter()
        assert decide(one, "coast", tok, "adopt_proposal", {
            "condition": {"kind": "at_least", "n": PEERS}}, title="Nets",
            text="Shared.")["status"] == "adopted"
        reach1 = time.perf_counter() - t0
        proposal = one.get("/api/v1/bodies/coast/proposals").json()["originated"][0]["id"]
        for slug in locals_:
            assert decide(one, slug, tok, "answer_proposal", {
                "proposal": proposal, "version": 1, "answer": "accept"})["status"] == \
                "adopted"
        assert status_of(one, proposal)["met"]
        whole1 = time.perf_counter() - t0
    finally:
        one.stop()
    # the same spread over PEERS + 1 nodes
    h = Server(tempfile.mkdtemp(prefix="pnyx-bench-nodes-h-"))
    peers = []
    try:
        hh, th = h.user()
        cove = h.found(th, rule=RULES, schedule=schedule_now()).json()["slug"]
        assert decide(h, cove, th, "found_federation", {
            "slug": "coast", "name": "Coast", "purpose": "transport", "region": "coast",
            "statement": "Equals.", "rule": RULES, "schedule": schedule_now(),
            "delegate": hh, "mandate": "Speak."})["status"] == "adopted"
        actor = f"{h.base}/bodies/coast"
        for i in range(PEERS):
            n = Server(tempfile.mkdtemp(prefix=f"pnyx-bench-nodes-{i}-"))
            _, tok = n.user()
            slug = n.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
            peers.append((n, slug, tok))
            assert decide(n, slug, tok, "join_remote_federation",
                          {"actor": actor})["status"] == "adopted"
        asked = wait(lambda: len(h.get("/api/v1/bodies/coast/remote").json()[
            "relations"]) == PEERS and h.get("/api/v1/bodies/coast/remote").json()[
            "relations"])
        for r in asked:
            assert decide(h, "coast", th, "accept_remote_member",
                          {"request": r["id"]})["status"] == "adopted"
        for n, slug, _tok in peers:
            wait(lambda: n.get(f"/api/v1/bodies/{slug}/remote").json()["relations"][0][
                "status"] == "active")

        def offer(n, slug):
            got = n.get(f"/api/v1/bodies/{slug}/remote").json()["relations"][0]["offers"]
            return got[0]["id"] if got else None
        t0 = time.perf_counter()
        assert decide(h, "coast", th, "adopt_proposal", {
            "condition": {"kind": "at_least", "n": PEERS}}, title="Nets",
            text="Shared.")["status"] == "adopted"
        proposal = h.get("/api/v1/bodies/coast/proposals").json()["originated"][0]["id"]
        offers = [wait(lambda n=n, slug=slug: offer(n, slug)) for n, slug, _tok in peers]
        reach = time.perf_counter() - t0
        for (n, slug, tok), o in zip(peers, offers):
            assert decide(n, slug, tok, "answer_remote_proposal", {
                "offer": o, "answer": "accept"})["status"] == "adopted"
        wait(lambda: status_of(h, proposal)["met"])
        whole = time.perf_counter() - t0
        for n, slug, _tok in peers:
            wait(lambda n=n, slug=slug: n.get(f"/api/v1/bodies/{slug}/laws").json()["laws"])
        laws = time.perf_counter() - t0
    finally:
        for n, _slug, _tok in peers:
            n.stop()
        h.stop()
    print(f"{'':40} {'nodes':>8} {'one node':>9} {'ratio':>7}")
    print(f"{'the version reaches every assembly':40} {reach:8.2f} {reach1:9.2f}"
          f" {reach / reach1:7.2f}")
    print(f"{'adopted, answered, condition met':40} {whole:8.2f} {whole1:9.2f}"
          f" {whole / whole1:7.2f}")
    print(f"{'the law in every accepting register':40} {laws:8.2f} {whole1:9.2f}"
          f" {laws / whole1:7.2f}   (on one node: when the condition is met)")


if __name__ == "__main__":
    main()
