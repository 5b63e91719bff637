"""Under systemd (the package's unit is Type=notify) pnyx serve says READY=1
once it serves, not when the process starts, and STOPPING=1 when a SIGTERM
begins its graceful stop. A datagram socket stands in for systemd's
(NOTIFY_SOCKET, the protocol of sd_notify(3))."""
import json
import os
import re
import signal
import socket
import subprocess
import urllib.error
import urllib.request

import pytest

from conftest import PNYX, run


def test_serve_notifies_ready_and_stopping(tmp_path, db):
    path = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    p = subprocess.Popen([PNYX, "serve", "--listen", "127.0.0.1:0", "--db", str(db)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = p.stdout.readline()
        assert line.startswith("pnyx: serving "), line + p.stderr.read()
        url = line.split()[-1]
        ready = sock.recv(4096).decode().split("\n")
        assert ready[0] == "READY=1", ready
        assert f"STATUS=serving {url}" in ready
        p.send_signal(signal.SIGTERM)
        stopping = sock.recv(4096).decode().split("\n")
        assert stopping[0] == "STOPPING=1", stopping
        p.communicate(timeout=30)
        assert p.returncode == 0
    finally:
        if p.poll() is None:
            p.kill()
            p.communicate()
        sock.close()


REQUEST = re.compile(r"pnyx serve: request id=(\d+) method=(\S+) route=(\S+) status=(\d+)"
                     r" ms=[\d.]+ end=\"([^\"]+)\"")


def serve_logging(db, env=None):
    p = subprocess.Popen([PNYX, "serve", "--listen", "127.0.0.1:0", "--db", str(db),
                          "--log-level", "info"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env)
    line = p.stdout.readline()
    assert line.startswith("pnyx: serving "), line + p.stderr.read()
    return p, line.split()[-1]


def call(url, method, path, body=None):
    req = urllib.request.Request(url + path.lstrip("/"), method=method,
                                 data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("X-Request-Id")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("X-Request-Id")


def test_every_request_is_logged_without_its_secrets(tmp_path, db):
    p, url = serve_logging(db)
    secret = "correct horse battery staple"
    try:
        got = [call(url, "POST", "/api/v1/accounts", {"handle": "ada", "display_name": "Ada",
                                                       "password": secret}),
               call(url, "POST", "/api/v1/sessions", {"handle": "ada", "password": secret}),
               call(url, "GET", "/api/v1/meetings/424242"),
               call(url, "GET", "/journal.html")]
    finally:
        p.terminate()
        _, err = p.communicate(timeout=30)
    lines = sorted(REQUEST.findall(err), key=lambda l: int(l[0]))
    assert [(m, r, int(s)) for _, m, r, s, _ in lines] == [
        ("POST", "/api/v1/accounts", 201), ("POST", "/api/v1/sessions", 201),
        ("GET", "/api/v1/meetings/{id}", 404), ("GET", "(web-page)", 200)], err
    # each reply said its number, the one in the log
    assert [int(i) for _, i in got] == [int(l[0]) for l in lines]
    assert all(l[4] == "replied" for l in lines)
    # never the password, the handle, the token or the id in the path
    assert secret not in err and "ada" not in err and "424242" not in err
    assert "pnyx_session" not in err


def test_the_default_logs_no_request(tmp_path, db):
    p = subprocess.Popen([PNYX, "serve", "--listen", "127.0.0.1:0", "--db", str(db)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = p.stdout.readline().split()[-1]
    try:
        assert call(url, "GET", "/api/v1/health")[0] == 200
    finally:
        p.terminate()
        _, err = p.communicate(timeout=30)
    assert "request id=" not in err
    r = run("serve", "--log-level", "verbose", "--db", db, timeout=60)
    assert r.returncode == 2 and "--log-level: error" in r.stderr


JOURNAL = "/run/systemd/journal/socket"


@pytest.mark.skipif(os.path.exists(JOURNAL) or not os.access("/run", os.W_OK),
                    reason="a journal runs here, or /run is not ours")
def test_under_systemd_the_fields_go_to_the_journal(tmp_path, db):
    """sd_journal_send writes to journald's socket; a socket of ours in its
    place receives what journald would. The socket's path is the system's
    own, so the two builds' lanes (and anyone else running this test at the
    same time) take turns, by a lock beside it."""
    import fcntl
    lock = open("/run/pnyx-test-journal.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        _journal_fields(tmp_path, db)
    finally:
        lock.close()


def _journal_fields(tmp_path, db):
    if os.path.exists(JOURNAL):
        pytest.skip("a journald runs here")
    made = not os.path.isdir(os.path.dirname(JOURNAL))
    os.makedirs(os.path.dirname(JOURNAL), exist_ok=True)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(JOURNAL)
    sock.settimeout(30)
    try:
        p, url = serve_logging(db, env=dict(os.environ, JOURNAL_STREAM="8:12345"))
        try:
            status, rid = call(url, "GET", "/api/v1/meetings/7")
        finally:
            p.terminate()
            p.communicate(timeout=30)
        fields = {}
        for line in sock.recv(65536).decode().splitlines():
            k, _, v = line.partition("=")
            fields[k] = v
        assert status == 404
        assert fields["PNYX_REQUEST_ID"] == rid
        assert fields["PNYX_METHOD"] == "GET"
        assert fields["PNYX_ROUTE"] == "/api/v1/meetings/{id}"
        assert fields["PNYX_STATUS"] == "404"
        assert float(fields["PNYX_DURATION_MS"]) >= 0
        assert fields["PRIORITY"] == "6"
        assert fields["MESSAGE"].startswith("GET /api/v1/meetings/{id} 404")
    finally:
        sock.close()
        os.unlink(JOURNAL)
        if made:
            os.rmdir(os.path.dirname(JOURNAL))
