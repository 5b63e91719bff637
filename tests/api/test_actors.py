"""Issue 17, item 1: the node seen from the fediverse. Every body is an
ActivityPub actor (Group) and every person one (Person), found by
WebFinger as acct:NAME@HOST; a body's outbox lists its motions adopted
and meetings closed as posts; the node describes itself by NodeInfo 2.1.
The actor's Ed25519 key (a Multikey) is the node's, checked here with an
independent implementation (python3-cryptography) against a signature
the node made: the journal head's; its publicKey is the node's RSA key,
for the fediverse's servers."""
import sqlite3
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import (Encoding, PublicFormat,
                                                          load_pem_public_key)

from conftest import decide, error_of, schedule_now, settled_hash, RULES

AS = {"Accept": "application/activity+json"}
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


@pytest.fixture(scope="module")
def town(srv):
    """An assembly in session with one motion adopted (and so one post)."""
    handle, tok = srv.user()
    r = srv.found(tok, slug="quay", name="Quay Assembly", statement="We meet <as equals>.",
                  rule=RULES, schedule=schedule_now())
    assert r.status_code == 201, r.text
    decide(srv, "quay", tok, "resolution", title="Light the pier & the steps", text="Lamps.")
    return {"handle": handle, "tok": tok, "slug": "quay"}


def path_of(srv, address):
    """The path of an address of this node (the tests' requests take one)."""
    assert address.startswith(srv.base + "/"), address
    return address[len(srv.base):]


def host(srv):
    return srv.base.split("://", 1)[1]


def test_webfinger_finds_a_body_and_its_actor(srv, town):
    r = srv.get("/.well-known/webfinger?resource=acct:quay@" + host(srv))
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/jrd+json")
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    jrd = r.json()
    assert jrd["subject"] == "acct:quay@" + host(srv)
    self_link = [x for x in jrd["links"] if x["rel"] == "self"]
    assert self_link == [{"rel": "self", "type": "application/activity+json",
                          "href": srv.base + "/bodies/quay"}]

    a = srv.get("/bodies/quay", headers=AS)
    assert a.status_code == 200, a.text
    assert a.headers["Content-Type"].startswith("application/activity+json")
    actor = a.json()
    assert actor["@context"][0] == AS_CONTEXT
    assert actor["id"] == srv.base + "/bodies/quay"
    assert actor["type"] == "Group"
    assert actor["preferredUsername"] == "quay"
    assert actor["name"] == "Quay Assembly"
    for box in ("inbox", "outbox", "followers", "following"):
        assert actor[box] == actor["id"] + "/" + box
    # what the body says of itself, escaped as HTML content is
    assert actor["summary"] == "<p>We meet &lt;as equals&gt;.</p>"
    assert actor["url"] == srv.base + "/assembly.html?slug=quay"
    assert actor["publicKey"]["owner"] == actor["id"]
    assert actor["publicKey"]["id"] == actor["id"] + "#main-key"


B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def multikey_ed25519(value):
    """The Ed25519 key of a Multikey's publicKeyMultibase (FEP-521a: "z",
    then base58btc of the multicodec 0xed 0x01 and the 32 bytes)."""
    assert value.startswith("z"), value
    n = 0
    for c in value[1:]:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    assert raw[:2] == b"\xed\x01" and len(raw) == 34, raw.hex()
    return raw[2:]


def test_the_actors_key_is_the_nodes_and_verifies_its_signature(srv, town):
    """docs/nodes.md, "Keys": the node's Ed25519 key (its journal's) is
    the actor's Multikey in assertionMethod; publicKey is the node's RSA
    key, the only kind Mastodon verifies."""
    actor = srv.get("/bodies/quay", headers=AS).json()
    [method] = actor["assertionMethod"]
    assert method["type"] == "Multikey"
    assert method["id"] == actor["id"] + "#ed25519-key"
    assert method["controller"] == actor["id"]
    raw = multikey_ed25519(method["publicKeyMultibase"])
    assert raw.hex() == srv.get("/api/v1/journal/verify").json()["public_key"]
    key = Ed25519PublicKey.from_public_bytes(raw)
    # the node's signature over its journal head (docs/journal.md) verifies
    # with the key the actor publishes (raises if not)
    srv.settle()
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True)
    seq, head, sig = con.execute(
        "SELECT seq, hash, signature FROM journal_head").fetchone()
    con.close()
    key.verify(sig, b"pnyx-journal-head-v1" + struct.pack(">Q", seq) + head)
    rsa = load_pem_public_key(actor["publicKey"]["publicKeyPem"].encode())
    assert isinstance(rsa, RSAPublicKey) and rsa.key_size >= 2048
    assert actor["endpoints"] == {"sharedInbox": srv.base + "/inbox"}
    # every actor of the node names the same keys
    person = srv.get("/people/" + town["handle"], headers=AS).json()
    assert person["publicKey"]["publicKeyPem"] == actor["publicKey"]["publicKeyPem"]
    assert person["assertionMethod"][0]["publicKeyMultibase"] == method["publicKeyMultibase"]


def test_a_person_is_found_by_handle_and_by_address(srv, town):
    handle = town["handle"]
    r = srv.get(f"/.well-known/webfinger?resource=acct:{handle}@{host(srv)}")
    assert r.status_code == 200, r.text
    href = [x["href"] for x in r.json()["links"] if x["rel"] == "self"][0]
    assert href == srv.base + "/people/" + handle
    r = srv.get("/.well-known/webfinger?resource=" + href)
    assert r.status_code == 200, r.text
    assert r.json()["subject"] == f"acct:{handle}@{host(srv)}"
    p = srv.get("/people/" + handle, headers=AS).json()
    assert p["type"] == "Person" and p["id"] == href
    assert p["preferredUsername"] == handle
    assert p["publicKey"]["owner"] == href


def test_a_name_both_a_body_and_a_person_finds_the_body(srv, town):
    """docs/nodes.md, choice 1: acct: finds the body; the person's own
    address still finds the person."""
    srv.signup("quay")
    r = srv.get("/.well-known/webfinger?resource=acct:quay@" + host(srv))
    assert [x["href"] for x in r.json()["links"]] == [srv.base + "/bodies/quay"]
    r = srv.get("/.well-known/webfinger?resource=" + srv.base + "/people/quay")
    assert [x["href"] for x in r.json()["links"]] == [srv.base + "/people/quay"]


def test_asked_for_a_page_the_actor_address_leads_to_it(srv, town):
    r = srv.get("/bodies/quay", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "<html" in r.text.lower()
    assert r.history and r.history[0].status_code == 303
    assert r.history[0].headers["Location"] == srv.base + "/assembly.html?slug=quay"


def test_the_outbox_lists_what_the_body_decided_as_posts(srv, town):
    box = srv.get("/bodies/quay/outbox", headers=AS).json()
    assert box["type"] == "OrderedCollection"
    assert box["totalItems"] == 1
    page = srv.get(path_of(srv, box["first"]), headers=AS).json()
    assert page["type"] == "OrderedCollectionPage"
    assert page["partOf"] == box["id"]
    assert "next" not in page
    [create] = page["orderedItems"]
    assert create["type"] == "Create"
    assert create["actor"] == srv.base + "/bodies/quay"
    assert create["to"] == [PUBLIC]
    note = create["object"]
    assert note["type"] == "Note"
    assert note["attributedTo"] == create["actor"]
    assert "Adopted: “Light the pier &amp; the steps”" in note["content"]
    assert note["url"].startswith(srv.base + "/motion.html?id=")
    # the Note's id is an address that answers with the Note
    again = srv.get(path_of(srv, note["id"]), headers=AS)
    assert again.status_code == 200
    fetched = again.json()
    assert fetched.pop("@context") == AS_CONTEXT
    assert fetched == note
    # a second decision comes first
    decide(srv, "quay", town["tok"], "resolution", title="Paint the benches", text="Green.")
    page = srv.get(path_of(srv, box["first"]), headers=AS).json()
    assert [x["object"]["content"].split("”")[0].split("“")[1]
            for x in page["orderedItems"]] == ["Paint the benches", "Light the pier &amp; the steps"]
    assert srv.get("/bodies/quay/outbox", headers=AS).json()["totalItems"] == 2


def test_followers_is_an_empty_collection(srv, town):
    f = srv.get("/bodies/quay/followers", headers=AS).json()
    assert f["type"] == "OrderedCollection" and f["totalItems"] == 0
    assert f["id"] == srv.base + "/bodies/quay/followers"


def test_nodeinfo(srv, town):
    links = srv.get("/.well-known/nodeinfo").json()["links"]
    assert links == [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
                      "href": srv.base + "/nodeinfo/2.1"}]
    info = srv.get("/nodeinfo/2.1").json()
    assert info["version"] == "2.1"
    assert info["software"]["name"] == "pnyx"
    assert info["protocols"] == ["activitypub"]
    con = sqlite3.connect(f"file:{srv.db}?mode=ro", uri=True)
    people = con.execute("SELECT count(*) FROM accounts").fetchone()[0]
    con.close()
    assert info["usage"]["users"]["total"] == people


def test_refusals_name_the_field_and_change_nothing(srv, town):
    before = settled_hash(srv)
    h = host(srv)
    error_of(srv.get("/.well-known/webfinger"), 400, "missing_field", "resource")
    error_of(srv.get("/.well-known/webfinger?resource=quay"), 400, "bad_input", "resource")
    error_of(srv.get("/.well-known/webfinger?resource=acct:quay"), 400, "bad_input",
             "resource")
    error_of(srv.get("/.well-known/webfinger?resource=acct:quay@elsewhere.example"), 404,
             "not_found", "resource")
    error_of(srv.get(f"/.well-known/webfinger?resource=acct:nobody-here@{h}"), 404,
             "not_found", "resource")
    error_of(srv.get("/.well-known/webfinger?resource=" + srv.base + "/bodies/nobody"),
             404, "not_found", "resource")
    error_of(srv.get("/.well-known/webfinger?resource=" + srv.base + "/journal.html"),
             404, "not_found", "resource")
    error_of(srv.get("/bodies/nobody", headers=AS), 404, "not_found")
    error_of(srv.get("/people/nobody", headers=AS), 404, "not_found")
    error_of(srv.get("/bodies/nobody/outbox", headers=AS), 404, "not_found")
    error_of(srv.get("/bodies/quay/outbox?page=0", headers=AS), 400, "out_of_range", "page")
    error_of(srv.get("/bodies/quay/outbox?page=x", headers=AS), 400, "bad_type", "page")
    for post in ("motion-x", "motion-0", "law-1", "meeting-999999", "motion-999999"):
        error_of(srv.get("/bodies/quay/posts/" + post, headers=AS), 404, "not_found")
    # a motion of another body is no post of this one
    other = srv.get("/bodies/quay/outbox?page=1", headers=AS).json()["orderedItems"][0]
    name = other["object"]["id"].rsplit("/", 1)[1]
    handle, tok = srv.user()
    assert srv.found(tok, slug="weir", schedule=schedule_now()).status_code == 201
    before = settled_hash(srv)
    error_of(srv.get("/bodies/weir/posts/" + name, headers=AS), 404, "not_found")
    # nothing is written by anything here
    assert settled_hash(srv) == before
    # an activity without a signature is refused at the inbox, and only
    # the refusal is written: a journal entry (docs/nodes.md)
    seq = srv.get("/api/v1/journal/verify").json()["entries"]
    error_of(srv.post("/bodies/quay/inbox", {"type": "Join"}), 401, "bad_signature",
             "signature")
    new = srv.get(f"/api/v1/journal?after={seq}").json()["entries"]
    assert [e["action"] for e in new] == ["node.refuse"], new
    assert new[0]["payload"]["code"] == "bad_signature"
    # a Follow is no governance act (docs/nodes.md, choice 7): refused
    # unsigned, it changes nothing, the journal included; the server's
    # log says it
    before = settled_hash(srv)
    error_of(srv.post("/bodies/quay/inbox", {"type": "Follow"}), 401, "bad_signature",
             "signature")
    assert settled_hash(srv) == before
    assert "inbox of quay: refused an activity" in srv.stderr()
