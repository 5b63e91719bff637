"""`pnyx serve --config FILE`: options from a file of 'key = value' lines,
the command line overriding them; an unknown key, a line without '=' or a
bad value stops the start with a message naming the file and the line."""
import json
import urllib.error
import socket
import subprocess
import urllib.request

import pytest

from conftest import PNYX, run


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(*args):
    p = subprocess.Popen([PNYX, "serve", *map(str, args)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("pnyx: serving "):
        p.kill()
        raise AssertionError(line + p.communicate(timeout=30)[1])
    return p, line.split()[-1]


def stop(p):
    p.terminate()
    p.communicate(timeout=30)
    assert p.returncode == 0


def post(url, path, body):
    req = urllib.request.Request(url + path, method="POST", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers.get("Set-Cookie")


def session_cookie(url):
    """Sign in as zed (made the first time) and return the session cookie."""
    try:
        post(url, "api/v1/accounts", {"handle": "zed", "display_name": "Zed",
                                      "password": "correct horse battery"})
    except urllib.error.HTTPError as e:
        assert e.code == 409, e.read()
    cookie = post(url, "api/v1/sessions", {"handle": "zed", "password": "correct horse battery"})
    assert cookie and cookie.startswith("pnyx_session="), cookie
    return cookie


def test_options_come_from_the_file_and_the_command_line_overrides_them(tmp_path, db):
    port, other = free_port(), free_port()
    conf = tmp_path / "pnyx.conf"
    conf.write_text(f"# the node\n\nlisten = 127.0.0.1:{port}\n"
                    f"  db =  {db}  \n; a comment too\nsecure-cookies = true\n"
                    "threads = 2\r\n")
    p, url = serve("--config", conf)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        assert "; Secure" in session_cookie(url)
    finally:
        stop(p)
    p, url = serve(f"--config={conf}", "--listen", f"127.0.0.1:{other}")
    try:
        assert url == f"http://127.0.0.1:{other}/"
    finally:
        stop(p)
    # a flag set false in the file
    conf.write_text(f"listen = 127.0.0.1:0\ndb = {db}\nsecure-cookies = false\n")
    p, url = serve("--config", conf)
    try:
        assert "Secure" not in session_cookie(url)
    finally:
        stop(p)


@pytest.mark.parametrize("text, message", [
    ("listen = 127.0.0.1:0\nbogus = 1\n", ":2: unknown key 'bogus'"),
    ("\n\nlisten\n", ":3: expected 'key = value', not 'listen'"),
    ("threads = 500\n", ":1: threads must be between 1 and 64"),
    ("threads = many\n", ":1: threads takes a whole number, not 'many'"),
    ("secure-cookies = maybe\n", ":1: secure-cookies is true or false, not 'maybe'"),
    ("config = /etc/other.conf\n", ":1: unknown key 'config'"),
    ("listen =\n", ":1: listen has no value"),
    (" = 3\n", ":1: unknown key ''"),
])
def test_a_bad_line_stops_the_start_and_names_the_line(tmp_path, db, text, message):
    conf = tmp_path / "pnyx.conf"
    conf.write_text(text)
    p = run("serve", "--config", conf, "--db", db, timeout=60)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert f"pnyx serve: {conf}{message}" in p.stderr, p.stderr
    assert "serving" not in p.stdout


def test_a_missing_or_binary_config_is_refused(tmp_path, db):
    p = run("serve", "--config", tmp_path / "none.conf", "--db", db, timeout=60)
    assert p.returncode == 2
    assert "No such file" in p.stderr
    (tmp_path / "bin.conf").write_bytes(b"listen = 1\0\n")
    p = run("serve", "--config", tmp_path / "bin.conf", "--db", db, timeout=60)
    assert p.returncode == 2
    assert "not a text file" in p.stderr


def test_the_manual_lists_every_key():
    """Every option of serve but --config is a key, and man/pnyx.1 names each."""
    import os
    import re
    top = os.path.join(os.path.dirname(__file__), "..", "..")
    with open(os.path.join(top, "src/cli/cmd_serve.c"), encoding="utf-8") as f:
        src = f.read()
    keys = set(re.findall(r'\{ "([a-z-]+)", OPT_', src)) - {"config"}
    assert len(keys) >= 20, keys
    with open(os.path.join(top, "man/pnyx.1"), encoding="utf-8") as f:
        man = f.read()
    section = man[man.index(".SH CONFIGURATION"):man.index(".SH EXIT STATUS")]
    named = set(k.replace("\\-", "-") for k in re.findall(r"\\fB([a-z\\-]+)\\fR", section))
    assert keys - named == set(), keys - named


def test_the_manual_renders_without_a_warning():
    """man/pnyx.1 through groff with every warning on: a line of text that
    starts with a dot (read as a macro) and the like are caught here, not
    only by the package's lintian run."""
    import os
    import shutil
    import subprocess
    if not shutil.which("groff"):
        pytest.skip("groff is not installed (groff-base, with lintian from scripts/deps)")
    top = os.path.join(os.path.dirname(__file__), "..", "..")
    p = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(top, "man/pnyx.1")],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and p.stderr == "", p.stderr
