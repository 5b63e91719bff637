"""bench/journal/make_journal.py DIR MEMBERS MOTIONS: a journal of about
MEMBERS x MOTIONS entries, made through a real server as people would:
one local assembly in session, every member checked in, MOTIONS motions
(one in ten enacts a law) each voted on by every member. Prints the
database's path."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "api"))

import conftest  # noqa: E402  (the test suite's server helper)
from test_replay import RULES, Town, schedule_now  # noqa: E402


def main():
    where, members, motions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    srv = conftest.Server(where)
    people = {f"p{i}": srv.user() for i in range(members)}
    tok = {k: v[1] for k, v in people.items()}
    handle = {k: v[0] for k, v in people.items()}
    r = srv.found(tok["p0"], rule=RULES, schedule=schedule_now())
    town = Town(srv, tok, handle, r.json()["slug"])
    for k in list(tok)[1:]:
        srv.post(f"/api/v1/bodies/{town.slug}/members",
                 {"affirm": True, "basis": "lives"}, token=tok[k])
    for k in tok:
        town.checkin(k, shown_by="p0")
    for i in range(motions):
        kind = "enact_law" if i % 10 == 0 else "resolution"
        mid = town.submit("p0", kind, title=f"Motion {i}")
        town.vote(mid, [(k, "yes") for k in tok], "p0")
    srv.stop()
    print(srv.db)


if __name__ == "__main__":
    main()
