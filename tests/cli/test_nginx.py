"""The nginx configuration of examples/nginx/pnyx.conf (the one
docs/operations.md gives), run by Debian's nginx on loopback with a
self-signed certificate in front of a real pnyx: TLS and HTTP/2, the
redirect from plain HTTP, the security headers, a live stream passed on at
once, and the client's address reaching pnyx's limits through the proxy,
and never from anyone else's header."""
import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from conftest import PNYX, run

TOP = os.path.join(os.path.dirname(__file__), "..", "..")
HOST = "assembly.example.org"
pytestmark = pytest.mark.skipif(
    not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx"))
    or not shutil.which("openssl") or not shutil.which("curl"),
    reason="nginx, openssl or curl is not installed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what):
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{what} stopped: " + proc.communicate()[1])
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{what} does not listen on {port}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    t = tmp_path_factory.mktemp("nginx")
    db = t / "pnyx.db"
    run("init", "--db", db, check=0)
    run("demo", "--db", db, check=0)
    pnyx_port, tls, plain = free_port(), free_port(), free_port()
    srv = subprocess.Popen([PNYX, "serve", "--listen", f"127.0.0.1:{pnyx_port}",
                            "--db", str(db), "--trusted-proxy", "127.0.0.1",
                            "--signups-per-hour", "1",
                            # the joining node the test plays is on loopback
                            "--peer-addresses", "any",
                            "--public-url", f"https://{HOST}:{tls}"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert srv.stdout.readline().startswith("pnyx: serving ")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", t / "key.pem", "-out", t / "cert.pem", "-days", "2",
                    "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}"],
                   check=True, capture_output=True)
    with open(os.path.join(TOP, "examples/nginx/pnyx.conf"), encoding="utf-8") as f:
        site = f.read()
    # the same file, with this test's ports and certificate; IPv6 left out
    # (a CI container may have none)
    for old, new in [("127.0.0.1:8080", f"127.0.0.1:{pnyx_port}"),
                     ("listen 80;", f"listen 127.0.0.1:{plain};"),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls} ssl http2;"),
                     (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(t / "cert.pem")),
                     (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(t / "key.pem"))]:
        assert old in site, old
        site = site.replace(old, new)
    site = "\n".join(l for l in site.splitlines() if "[::]" not in l)
    (t / "site.conf").write_text(site)
    temp = {n: t / n for n in ["body", "proxy", "fastcgi", "uwsgi", "scgi"]}
    (t / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off;\npid {t}/nginx.pid;\nerror_log {t}/error.log;\n"
        "worker_processes 1;\nevents { worker_connections 256; }\nhttp {\n"
        f"access_log off;\n"
        + "".join(f"{n}_temp_path {p};\n" if n != "body" else f"client_body_temp_path {p};\n"
                  for n, p in temp.items())
        + f"include {t}/site.conf;\n}}\n")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    ng = subprocess.Popen([nginx, "-p", str(t), "-c", str(t / "nginx.conf")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_port(tls, ng, "nginx")
        con = sqlite3.connect(db)
        proposal = con.execute("SELECT min(id) FROM proposals").fetchone()[0]
        con.close()
        yield {"tls": tls, "plain": plain, "pnyx": pnyx_port, "cert": t / "cert.pem",
               "proposal": proposal, "db": db}
    finally:
        ng.terminate()
        ng.communicate(timeout=30)
        srv.terminate()
        srv.communicate(timeout=30)


def curl(stack, *args, source=None, path="/", tls=True):
    base = (f"https://{HOST}:{stack['tls']}" if tls else f"http://{HOST}:{stack['plain']}")
    cmd = ["curl", "-sS", "--resolve", f"{HOST}:{stack['tls']}:127.0.0.1",
           "--resolve", f"{HOST}:{stack['plain']}:127.0.0.1", "--cacert", str(stack["cert"])]
    if source:
        cmd += ["--interface", source]
    return subprocess.run(cmd + list(args) + [base + path], capture_output=True, text=True,
                          timeout=60)


def test_tls_and_http2_to_the_browser(stack):
    p = curl(stack, "--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
             path="/api/v1/health")
    assert p.stdout == "2 200", p.stdout + p.stderr


def test_plain_http_is_only_a_redirect(stack):
    p = curl(stack, "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", tls=False,
             path="/journal.html")
    assert p.stdout == f"301 https://{HOST}/journal.html", p.stdout


def test_the_security_headers(stack):
    p = curl(stack, "-D", "-", "-o", "/dev/null", path="/")
    head = p.stdout.lower()
    assert "strict-transport-security: max-age=63072000" in head, head
    assert re.search(r"content-security-policy: .*frame-ancestors 'none'", head), head
    assert "x-frame-options: deny" in head


def test_a_live_stream_passes_at_once(stack):
    # the stream's first event arrives through the proxy while the stream
    # stays open: nothing waits for a buffer to fill
    start = time.time()
    p = curl(stack, "-N", "--max-time", "4", path=f"/api/v1/proposals/{stack['proposal']}/events")
    assert p.returncode == 28, (p.returncode, p.stderr)  # still open when curl gave up
    assert "retry: 3000" in p.stdout and "data:" in p.stdout, p.stdout[:500]
    assert time.time() - start < 10
    # pnyx asks any proxy not to buffer its streams
    d = subprocess.run(["curl", "-sS", "-N", "-D", "-", "-o", "/dev/null", "--max-time", "2",
                        f"http://127.0.0.1:{stack['pnyx']}/api/v1/proposals/"
                        f"{stack['proposal']}/events"], capture_output=True, text=True)
    assert "x-accel-buffering: no" in d.stdout.lower(), d.stdout


def sign_up(stack, handle, source, direct_header=None):
    body = ('{"handle":"%s","display_name":"N","password":"correct horse battery"}' % handle)
    args = ["-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
            "-H", "Content-Type: application/json", "--data", body]
    if direct_header:
        p = subprocess.run(["curl", "-sS", "--interface", source, *args,
                            "-H", f"X-Forwarded-For: {direct_header}",
                            f"http://127.0.0.1:{stack['pnyx']}/api/v1/accounts"],
                           capture_output=True, text=True, timeout=60)
    else:
        p = curl(stack, *args, source=source, path="/api/v1/accounts")
    return p.stdout


def test_the_client_address_passes_through_the_proxy_and_only_from_it(stack):
    # one sign-up an hour per address (--signups-per-hour 1): through the
    # proxy, each client is counted by its own address
    assert sign_up(stack, "via2a", "127.0.0.2") == "201"
    assert sign_up(stack, "via2b", "127.0.0.2") == "429"
    assert sign_up(stack, "via3a", "127.0.0.3") == "201"
    # straight to pnyx from anywhere but the proxy, the header is ignored:
    # a new claimed address each time, still one client
    assert sign_up(stack, "direct1", "127.0.0.4", direct_header="10.9.9.1") == "201"
    assert sign_up(stack, "direct2", "127.0.0.4", direct_header="10.9.9.2") == "429"


def test_the_proxy_is_not_held_to_the_per_address_limit(tmp_path):
    """It carries everyone's connections; anyone else still is."""
    db = tmp_path / "t.db"
    run("init", "--db", db, check=0)
    port = free_port()
    srv = subprocess.Popen([PNYX, "serve", "--listen", f"127.0.0.1:{port}", "--db", str(db),
                            "--trusted-proxy", "127.0.0.1", "--max-per-address", "1"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    held = []
    try:
        assert srv.stdout.readline().startswith("pnyx: serving ")

        def answered(source):
            s = socket.socket()
            s.bind((source, 0))
            s.settimeout(10)
            s.connect(("127.0.0.1", port))
            held.append(s)
            try:
                s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                return s.recv(64).startswith(b"HTTP/1.1 200")
            except OSError:
                return False

        assert answered("127.0.0.1") and answered("127.0.0.1") and answered("127.0.0.1")
        assert answered("127.0.0.5")
        assert not answered("127.0.0.5"), "a second connection from one address is refused"
    finally:
        for s in held:
            s.close()
        srv.terminate()
        srv.communicate(timeout=30)


class ActorPeer:
    """Another node, played here: it serves its actor document (with its
    Ed25519 key), from which pnyx learns the key of a node that asks to
    join for the first time."""

    def __init__(self):
        self.key = Ed25519PrivateKey.generate()
        peer = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                me = peer.base + self.path
                pem = peer.key.public_key().public_bytes(
                    serialization.Encoding.PEM,
                    serialization.PublicFormat.SubjectPublicKeyInfo).decode()
                data = json.dumps({"id": me, "type": "Group", "publicKey": {
                    "id": me + "#main-key", "owner": me, "publicKeyPem": pem}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_another_nodes_signed_activity_passes_the_proxy_intact(stack):
    """A pnyx node behind this proxy (docs/nodes.md, "Running a node"):
    another node's request to join, signed over the path, the Host with
    its port, the Date and the Digest of the body, reaches the inbox
    through TLS and nginx and verifies; the same request with a body
    changed on the way does not."""
    con = sqlite3.connect(stack["db"])
    slug = con.execute("SELECT slug FROM bodies WHERE kind = 'delegate' ORDER BY id"
                       " LIMIT 1").fetchone()[0]
    con.close()
    peer = ActorPeer()
    try:
        base = f"https://{HOST}:{stack['tls']}"
        actor = f"{peer.base}/bodies/far"
        act = {"@context": ["https://www.w3.org/ns/activitystreams",
                            {"pnyx": "urn:pnyx:ns#"}],
               "id": f"{peer.base}/activities/join-1", "type": "Join", "actor": actor,
               "object": f"{base}/bodies/{slug}"}
        sig = peer.key.sign(json.dumps(act, sort_keys=True, separators=(",", ":"))
                            .encode())  # RFC 8785 for this ASCII, number-free object
        act["signature"] = {"type": "pnyx:JcsEd25519Signature",
                            "creator": actor + "#main-key",
                            "signatureValue": base64.b64encode(sig).decode()}

        def post(body):
            path = f"/bodies/{slug}/inbox"
            date = datetime.datetime.now(datetime.timezone.utc).strftime(
                "%a, %d %b %Y %H:%M:%S GMT")
            digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
            text = "(request-target): post %s\nhost: %s:%d\ndate: %s\ndigest: %s" % (
                path, HOST, stack["tls"], date, digest)
            s = base64.b64encode(peer.key.sign(text.encode())).decode()
            return subprocess.run(
                ["curl", "-sS", "--resolve", f"{HOST}:{stack['tls']}:127.0.0.1",
                 "--cacert", str(stack["cert"]), "-X", "POST", "--data-binary", "@-",
                 "-H", "Content-Type: application/activity+json", "-H", f"Date: {date}",
                 "-H", f"Digest: {digest}", "-H",
                 f'Signature: keyId="{actor}#main-key",algorithm="hs2019",headers='
                 f'"(request-target) host date digest",signature="{s}"',
                 "-w", "\n%{http_code}", base + path],
                input=body, capture_output=True, timeout=60)
        body = json.dumps(act).encode()
        p = post(body)
        out, code = p.stdout.decode().rsplit("\n", 1)
        assert code == "202", out + p.stderr.decode()
        assert json.loads(out)["type"] == "Join"
        # the activity changed after its node signed it: refused
        p = post(json.dumps(dict(act, id=f"{peer.base}/activities/join-2")).encode())
        assert p.stdout.decode().rsplit("\n", 1)[1] == "401", p.stdout
    finally:
        peer.stop()
