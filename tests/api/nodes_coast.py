"""The two nodes the tests of delegates across nodes start from
(test_nodes_votes.py, test_nodes_membership.py): not a test module, a
builder they share, with the few reads and acts both make.

Node H: ch founded cove, which founded the delegate assembly coast (ch its
delegate). Node M: tm founded north, and each of the other local
assemblies named; each joined coast by its own decision and coast accepted
each by its own; north elected nd, who has no account on H, its delegate.
"""
import contextlib

from conftest import RULES, checkin, decide, schedule_now, submit, unique
from test_nodes_federation import poll, relations, two_nodes


@contextlib.contextmanager
def coast_nodes(tmp_path_factory, others=(), before_joining=None):
    """others: the names of M's local assemblies besides north (each
    founded by a person of its own, whose token is f["t" + name[0]]);
    before_joining(f): what the test adds before they join. Yields f:
    {"h", "m", "th", "tm", "ch", "nd", "cove", "coast", "north", "actor",
    and each other's slug and founder's token}; both servers are stopped
    after (two_nodes)."""
    with two_nodes(tmp_path_factory) as (h, m):
        ch, th = h.user()
        nd, tm = m.user()
        f = {"h": h, "m": m, "th": th, "tm": tm, "ch": ch, "nd": nd}
        f["cove"] = h.found(th, rule=RULES, schedule=schedule_now()).json()["slug"]
        f["coast"] = coast = unique("c")
        assert decide(h, f["cove"], th, "found_federation", {
            "slug": coast, "name": "Coast", "purpose": "transport",
            "region": "the coast", "statement": "We coordinate as equals.",
            "rule": RULES, "schedule": schedule_now(),
            "delegate": ch, "mandate": "Speak for the cove."})["status"] == "adopted"
        f["actor"] = f"{h.base}/bodies/{coast}"
        f["north"] = m.found(tm, rule=RULES, schedule=schedule_now()).json()["slug"]
        locals_ = [(f["north"], tm)]
        for name in others:
            tok = f["t" + name[0]] = m.user()[1]
            f[name] = m.found(tok, rule=RULES, schedule=schedule_now()).json()["slug"]
            locals_.append((f[name], tok))
        if before_joining:
            before_joining(f)
        for slug, tok in locals_:
            assert decide(m, slug, tok, "join_remote_federation",
                          {"actor": f["actor"]})["status"] == "adopted"
        asked = poll(lambda: len(relations(h, coast)) == len(locals_)
                     and relations(h, coast))
        for rel in asked:
            assert decide(h, coast, th, "accept_remote_member",
                          {"request": rel["id"]})["status"] == "adopted"
        for slug, _ in locals_:
            poll(lambda: relations(m, slug)[0]["status"] == "active")
        assert decide(m, f["north"], tm, "elect_remote_delegate", {
            "actor": f["actor"], "delegate": nd,
            "mandate": "Night buses."})["status"] == "adopted"
        poll(lambda: [r for r in relations(h, coast) if r["delegates"]])
        yield f


def open_motion(f, title):
    """A resolution of coast, its vote open at the meeting; ch checked in."""
    h = f["h"]
    mo = submit(h, f["coast"], f["th"], title=title)
    checkin(h, mo["meeting"], f["th"], f["th"])
    r = h.post(f"/api/v1/motions/{mo['id']}/voting", {"mode": "devices"}, token=f["th"])
    assert r.status_code == 200, r.text
    return mo["id"]


def vote_from_m(f, motion, position, token=None, actor=None):
    """north's delegate's vote on coast's motion, sent from M."""
    return f["m"].post(f"/api/v1/bodies/{f['north']}/remote/votes",
                       {"actor": actor or f["actor"], "motion": motion,
                        "position": position}, token=token or f["tm"])


def afar(f, motion):
    """The votes H counted on motion from delegates on other nodes."""
    return f["h"].get(f"/api/v1/motions/{motion}").json().get("votes_from_other_nodes", [])
