"""The town the tests of the sharing economy start from (test_sharing.py,
test_sharing_barter.py): not a test module, a builder they share, and
found_enterprise, which test_standing.py shares too.

Harbour's local assembly (f founded it; the members named join it), the
community Dale with its own local assembly (g founded it), Harbour's
bakery (f founded it with b, who joins it as a worker) and Dale's mill."""
from conftest import RULES, join, schedule_now

ENT = "/api/v1/enterprises"


def found_enterprise(srv, tok, community, name, founders=()):
    r = srv.post(ENT, {"name": name, "community": community,
                       "purpose": f"{name}, run by those who work in it.",
                       "provides": name, "rule": RULES, "schedule": schedule_now(),
                       "founders": list(founders)}, token=tok)
    assert r.status_code == 201, r.text
    return r.json()["slug"]


def build_town(srv, people, members):
    """people: the one-letter names of everyone (f, b and g among them);
    members: those who join Harbour besides f. Returns {"tok", "h",
    "local", "dale", "bakery", "mill", "community"} (Harbour's)."""
    made = {k: srv.user() for k in people}
    tok = {k: v[1] for k, v in made.items()}
    h = {k: v[0] for k, v in made.items()}
    comm, comm2 = srv.add_community(), srv.add_community()
    r = srv.found(tok["f"], community=comm, rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    local = r.json()["slug"]
    for k in members:
        join(srv, local, tok[k])
    r = srv.found(tok["g"], community=comm2, rule=RULES, schedule=schedule_now(),
                  name="Dale")
    assert r.status_code == 201, r.text
    dale = r.json()["slug"]
    bakery = found_enterprise(srv, tok["f"], comm, "The Bakery", [h["b"]])
    r = srv.post(f"/api/v1/bodies/{bakery}/members", {"affirm": True, "basis": "works"},
                 token=tok["b"])
    assert r.status_code == 201, r.text
    mill = found_enterprise(srv, tok["g"], comm2, "The Mill")
    return {"tok": tok, "h": h, "local": local, "dale": dale, "bakery": bakery,
            "mill": mill, "community": comm}
