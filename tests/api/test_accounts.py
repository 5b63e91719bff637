"""Accounts and sessions: POST /api/v1/accounts, POST /api/v1/sessions,
DELETE /api/v1/sessions/current, GET /api/v1/me. Cookie and bearer
authentication, the JSON content type that cookie-authenticated changes
must carry (cross-site request forgery), and sign-in rate limits."""
import pytest

from conftest import PASSWORD, error_of, unique

ACCOUNT = "/api/v1/accounts"
SESSIONS = "/api/v1/sessions"


def account_body(**over):
    b = {"handle": unique(), "display_name": "Ada Lovelace",
         "password": PASSWORD}
    b.update(over)
    return b


# -- POST /api/v1/accounts ------------------------------------------------

def test_create_account(srv):
    b = account_body(display_name="Zoë Ñandú")
    r = srv.post(ACCOUNT, b)
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["handle"] == b["handle"]
    assert a["display_name"] == "Zoë Ñandú"
    assert "password" not in r.text and "argon" not in r.text


def test_create_account_writes_journal_without_password(srv):
    b = account_body()
    assert srv.post(ACCOUNT, b).status_code == 201
    entries = srv.get("/api/v1/journal?limit=1000").json()["entries"]
    mine = [e for e in entries if e["action"] == "account.create"
            and e["payload"]["handle"] == b["handle"]]
    assert len(mine) == 1
    assert PASSWORD not in str(mine[0])


def test_create_account_duplicate_handle(srv):
    b = account_body()
    assert srv.post(ACCOUNT, b).status_code == 201
    error_of(srv.post(ACCOUNT, account_body(handle=b["handle"])), 409,
             "handle_taken", "handle")


@pytest.mark.parametrize("field", ["handle", "display_name", "password"])
def test_create_account_missing_field(srv, field):
    b = account_body()
    del b[field]
    error_of(srv.post(ACCOUNT, b), 400, "missing_field", field)


@pytest.mark.parametrize("field,value", [
    ("handle", 12), ("handle", None), ("display_name", ["x"]),
    ("password", True), ("password", {"p": 1})])
def test_create_account_wrong_type(srv, field, value):
    b = account_body(**{field: value})
    code = "missing_field" if value is None else "bad_type"
    error_of(srv.post(ACCOUNT, b), 400, code, field)


@pytest.mark.parametrize("field,value", [
    ("handle", "ab"), ("handle", "a" * 33), ("display_name", ""),
    ("display_name", "x" * 81), ("password", "short"),
    ("password", "p" * 1025)])
def test_create_account_out_of_range(srv, field, value):
    error_of(srv.post(ACCOUNT, account_body(**{field: value})), 400,
             "out_of_range", field)


@pytest.mark.parametrize("handle", ["Alice", "1abc", "al ice", "al.ice",
                                    "-abc", "ali\u00e9"])
def test_create_account_bad_handle_characters(srv, handle):
    r = srv.post(ACCOUNT, account_body(handle=handle))
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "handle"


def test_create_account_with_cookie_needs_json_type(srv):
    _, tok = srv.user()
    import json
    r = srv.post(ACCOUNT, cookie=tok, data=json.dumps(account_body()),
                 headers={"Content-Type": "text/plain"})
    error_of(r, 415, "bad_media_type")


def test_create_account_form_post_refused(srv):
    # What a cross-site form could send: no JSON content type.
    r = srv.request("POST", ACCOUNT, data="handle=x&password=y",
                    headers={"Content-Type":
                             "application/x-www-form-urlencoded"})
    error_of(r, 415, "bad_media_type")


# -- POST /api/v1/sessions ------------------------------------------------

def test_sign_in_sets_cookie_and_returns_token(srv):
    h = srv.signup()
    r = srv.post(SESSIONS, {"handle": h, "password": PASSWORD})
    assert r.status_code == 201, r.text
    body = r.json()
    tok = body["token"]
    assert len(tok) == 43
    assert body["account"]["handle"] == h
    cookie = r.headers["Set-Cookie"]
    parts = [p.strip() for p in cookie.split(";")]
    assert parts[0] == "pnyx_session=" + tok
    assert "HttpOnly" in parts
    assert "SameSite=Strict" in parts
    assert "Path=/" in parts
    assert "Max-Age=2592000" in parts
    assert "Secure" not in parts
    assert r.headers["Cache-Control"] == "no-store"


def test_sign_in_twice_gives_distinct_tokens(srv):
    h = srv.signup()
    assert srv.signin(h) != srv.signin(h)


def test_sign_in_wrong_password(srv):
    h = srv.signup()
    r = srv.post(SESSIONS, {"handle": h, "password": "wrong password"})
    e = error_of(r, 401, "bad_credentials")
    assert "Set-Cookie" not in r.headers
    # The same answer for a handle that does not exist.
    r2 = srv.post(SESSIONS, {"handle": unique(), "password": PASSWORD})
    assert error_of(r2, 401, "bad_credentials") == e


@pytest.mark.parametrize("field", ["handle", "password"])
def test_sign_in_missing_field(srv, field):
    b = {"handle": "someone", "password": PASSWORD}
    del b[field]
    error_of(srv.post(SESSIONS, b), 400, "missing_field", field)


@pytest.mark.parametrize("field,value", [("handle", 1),
                                         ("password", ["x"])])
def test_sign_in_wrong_type(srv, field, value):
    b = {"handle": "someone", "password": PASSWORD}
    b[field] = value
    error_of(srv.post(SESSIONS, b), 400, "bad_type", field)


def test_sign_in_needs_json_type(srv):
    h = srv.signup()
    import json
    r = srv.post(SESSIONS, data=json.dumps({"handle": h,
                                            "password": PASSWORD}),
                 headers={"Content-Type": "text/plain"})
    error_of(r, 415, "bad_media_type")


def test_secure_cookies_flag(start_server):
    s = start_server("--secure-cookies")
    h = s.signup()
    r = s.post(SESSIONS, {"handle": h, "password": PASSWORD})
    assert r.status_code == 201
    assert "Secure" in [p.strip() for p in r.headers["Set-Cookie"].split(";")]


# -- GET /api/v1/me -------------------------------------------------------

def test_me_with_bearer_and_with_cookie(srv):
    h, tok = srv.user()
    for kw in ({"token": tok}, {"cookie": tok}):
        r = srv.get("/api/v1/me", **kw)
        assert r.status_code == 200, r.text
        assert r.json()["handle"] == h
        assert r.json()["memberships"] == []


def test_me_anonymous_refused(srv):
    error_of(srv.get("/api/v1/me"), 401, "unauthenticated")


@pytest.mark.parametrize("tok", ["x", "A" * 43, "", "a" * 500])
def test_me_unknown_token_refused(srv, tok):
    error_of(srv.get("/api/v1/me", headers={
        "Authorization": "Bearer " + tok}), 401, "unauthenticated")
    error_of(srv.get("/api/v1/me", headers={
        "Cookie": "pnyx_session=" + tok}), 401, "unauthenticated")


def test_me_other_auth_scheme_is_anonymous(srv):
    error_of(srv.get("/api/v1/me", headers={
        "Authorization": "Basic YWxpY2U6cGFzcw=="}), 401, "unauthenticated")


def test_me_lists_memberships(srv):
    h, tok = srv.user()
    r = srv.found(tok)
    assert r.status_code == 201, r.text
    ms = srv.get("/api/v1/me", token=tok).json()["memberships"]
    assert [m["body"] for m in ms] == [r.json()["slug"]]


# -- DELETE /api/v1/sessions/current --------------------------------------

def test_sign_out_with_bearer_ends_only_that_session(srv):
    h = srv.signup()
    t1, t2 = srv.signin(h), srv.signin(h)
    r = srv.delete("/api/v1/sessions/current", token=t1)
    assert r.status_code == 204
    assert "Max-Age=0" in r.headers["Set-Cookie"]
    error_of(srv.get("/api/v1/me", token=t1), 401, "unauthenticated")
    assert srv.get("/api/v1/me", token=t2).status_code == 200


def test_sign_out_with_cookie(srv):
    h = srv.signup()
    tok = srv.signin(h)
    r = srv.delete("/api/v1/sessions/current", cookie=tok)
    assert r.status_code == 204
    error_of(srv.get("/api/v1/me", cookie=tok), 401, "unauthenticated")


def test_sign_out_with_cookie_needs_json_type(srv):
    h = srv.signup()
    tok = srv.signin(h)
    r = srv.delete("/api/v1/sessions/current", cookie=tok, json_type=False)
    error_of(r, 415, "bad_media_type")
    r = srv.delete("/api/v1/sessions/current", cookie=tok,
                   headers={"Content-Type": "text/plain"})
    error_of(r, 415, "bad_media_type")
    # Still signed in: nothing happened.
    assert srv.get("/api/v1/me", cookie=tok).status_code == 200


def test_sign_out_with_bearer_needs_no_content_type(srv):
    h = srv.signup()
    tok = srv.signin(h)
    r = srv.delete("/api/v1/sessions/current", token=tok, json_type=False)
    assert r.status_code == 204


def test_json_content_type_with_charset_accepted(srv):
    h = srv.signup()
    tok = srv.signin(h)
    r = srv.delete("/api/v1/sessions/current", cookie=tok, headers={
        "Content-Type": "Application/JSON; charset=utf-8"})
    assert r.status_code == 204


def test_json_lookalike_content_type_refused(srv):
    h = srv.signup()
    tok = srv.signin(h)
    for ct in ("application/jsonx", "text/json", "application/json-seq",
               "multipart/form-data; boundary=x"):
        r = srv.delete("/api/v1/sessions/current", cookie=tok,
                       headers={"Content-Type": ct})
        error_of(r, 415, "bad_media_type")


def test_sign_out_anonymous_refused(srv):
    error_of(srv.delete("/api/v1/sessions/current"), 401, "unauthenticated")


# -- rate limiting --------------------------------------------------------

def test_sign_in_rate_limited_per_handle(start_server):
    s = start_server()
    h = s.signup()
    for _ in range(5):
        error_of(s.post(SESSIONS, {"handle": h, "password": "wrong one!"}),
                 401, "bad_credentials")
    r = s.post(SESSIONS, {"handle": h, "password": "wrong one!"})
    error_of(r, 429, "rate_limited")
    wait = int(r.headers["Retry-After"])
    assert 0 < wait <= 15 * 60
    # Even the right password is refused until the window ends: the
    # limit is checked before the password.
    error_of(s.post(SESSIONS, {"handle": h, "password": PASSWORD}), 429,
             "rate_limited")
    # Another handle from the same address is still allowed.
    h2 = s.signup()
    assert s.signin(h2)
    # Case variants of the handle share the count.
    error_of(s.post(SESSIONS, {"handle": h.upper(), "password": "x"}), 429,
             "rate_limited")


def test_successful_sign_in_clears_handle_count(start_server):
    s = start_server()
    h = s.signup()
    for _ in range(4):
        error_of(s.post(SESSIONS, {"handle": h, "password": "wrong one!"}),
                 401, "bad_credentials")
    assert s.signin(h)
    for _ in range(4):
        error_of(s.post(SESSIONS, {"handle": h, "password": "wrong one!"}),
                 401, "bad_credentials")
    assert s.signin(h)


def test_sign_in_rate_limited_per_address(start_server):
    s = start_server()
    # 20 failures from one address, spread over handles so that no
    # handle reaches its own limit of 5.
    for i in range(20):
        error_of(s.post(SESSIONS, {"handle": "nobody%d" % (i % 5),
                                   "password": "wrong one!"}),
                 401, "bad_credentials")
    h = s.signup()  # creating accounts is not limited
    r = s.post(SESSIONS, {"handle": h, "password": PASSWORD})
    error_of(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) > 0


def test_bad_input_does_not_count_against_limit(start_server):
    s = start_server()
    h = s.signup()
    for _ in range(10):
        error_of(s.post(SESSIONS, {"handle": h}), 400, "missing_field",
                 "password")
    assert s.signin(h)


# -- session storage and expiry -------------------------------------------

def test_session_token_stored_only_hashed(srv):
    h = srv.signup()
    tok = srv.signin(h)
    import sqlite3
    con = sqlite3.connect(srv.db)
    try:
        rows = con.execute("SELECT * FROM sessions").fetchall()
    finally:
        con.close()
    assert rows
    for row in rows:
        for col in row:
            assert tok not in str(col)
            if isinstance(col, bytes):
                assert tok.encode() not in col


def test_expired_session_refused(srv):
    h = srv.signup()
    tok = srv.signin(h)
    assert srv.get("/api/v1/me", token=tok).status_code == 200
    srv.sql("UPDATE sessions SET expires_at = 1 WHERE account_id ="
            " (SELECT id FROM accounts WHERE handle = ?)", h)
    error_of(srv.get("/api/v1/me", token=tok), 401, "unauthenticated")
    error_of(srv.get("/api/v1/me", cookie=tok), 401, "unauthenticated")


# -- the JSON rule on every state-changing route --------------------------

def test_every_state_changing_route_refuses_cookie_without_json(srv):
    """Whatever routes exist (read from the route table), a request that
    changes state with the session cookie and a content type a cross-site
    form could send is refused with 415 before anything happens."""
    import json as _json
    from conftest import run
    routes = _json.loads(run("routes", "--json", check=0).stdout)
    h, tok = srv.user()
    slug = srv.found(tok).json()["slug"]
    before = srv.get("/api/v1/health").json()["journal"]["entries"]
    changing = [r for r in routes if r["method"] not in ("GET", "HEAD")]
    assert changing
    for r in changing:
        path = r["path"].replace("{slug}", slug)
        for ct in ("application/x-www-form-urlencoded", "text/plain",
                   "multipart/form-data; boundary=x", None):
            headers = {"Content-Type": ct} if ct else {}
            resp = srv.request(r["method"], path, cookie=tok, data="{}",
                               headers=headers, json_type=False)
            error_of(resp, 415, "bad_media_type")
    assert srv.get("/api/v1/health").json()["journal"]["entries"] == before
    assert srv.get("/api/v1/me", cookie=tok).status_code == 200
