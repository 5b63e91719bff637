"""The Debian package, built from this checkout as an operator would build
it (dpkg-buildpackage -us -uc -b, in a copy of the tracked files), then
taken apart with dpkg-deb: its files, its unit, its dependencies, lintian,
and the unit's ExecStart run from the extracted tree on a free port.

Needs dpkg-buildpackage and debhelper (scripts/deps installs them); the
package's own unit-test step is left out here (DEB_BUILD_OPTIONS=nocheck)
because the suite runs those tests already."""
import configparser
import glob
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import urllib.request

import pytest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
pytestmark = pytest.mark.skipif(not shutil.which("dpkg-buildpackage"),
                                reason="dpkg-buildpackage is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("deb")
    src = work / "pnyx"
    src.mkdir()
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                            "--exclude-standard"], cwd=TOP, check=True,
                           capture_output=True).stdout.split(b"\0")
    for f in filter(None, files):
        f = f.decode()
        if not os.path.isfile(os.path.join(TOP, f)):
            continue  # a tracked file deleted in the working tree
        os.makedirs(src / os.path.dirname(f), exist_ok=True)
        shutil.copy2(os.path.join(TOP, f), src / f)
    env = dict(os.environ, DEB_BUILD_OPTIONS="nocheck parallel=2")
    p = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=src, env=env,
                       capture_output=True, text=True, timeout=1800)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-4000:]
    debs = glob.glob(str(work / "pnyx_*_amd64.deb")) or glob.glob(str(work / "pnyx_*.deb"))
    assert len(debs) == 1, os.listdir(work)
    tree = work / "tree"
    subprocess.run(["dpkg-deb", "-x", debs[0], tree], check=True)
    control = work / "control"
    subprocess.run(["dpkg-deb", "-e", debs[0], control], check=True)
    return {"deb": debs[0], "tree": tree, "control": control, "work": work}


def field(deb, name):
    return subprocess.run(["dpkg-deb", "-f", deb, name], check=True, capture_output=True,
                          text=True).stdout.strip()


def unit(tree, name):
    cp = configparser.ConfigParser(strict=False, interpolation=None)
    cp.optionxform = str
    with open(tree / "lib/systemd/system" / name, encoding="utf-8") as f:
        text = f.read()
    # repeated keys (SystemCallFilter=) are kept by joining them
    merged = {}
    section = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            merged.setdefault(section, {})
            continue
        k, v = line.split("=", 1)
        merged[section][k] = (merged[section].get(k, "") + " " + v).strip()
    return merged


def test_the_files_an_operator_expects(built):
    t = built["tree"]
    binary = t / "usr/bin/pnyx"
    assert os.access(binary, os.X_OK)
    assert oct(os.stat(binary).st_mode & 0o777) == "0o755"
    for path in ["etc/pnyx/pnyx.conf", "usr/share/man/man1/pnyx.1.gz",
                 "lib/systemd/system/pnyx.service", "lib/systemd/system/pnyx-backup.service",
                 "lib/systemd/system/pnyx-backup.timer", "usr/lib/sysusers.d/pnyx.conf",
                 "usr/lib/tmpfiles.d/pnyx.conf", "usr/share/doc/pnyx/copyright",
                 "usr/share/doc/pnyx/README.md.gz", "usr/share/doc/pnyx/operations.md.gz",
                 "usr/share/doc/pnyx/storage.md.gz",
                 "usr/share/doc/pnyx/examples/pnyx.conf"]:
        assert (t / path).is_file(), path
    # the configuration is a conffile: an operator's edits survive upgrades
    with open(built["control"] / "conffiles") as f:
        assert "/etc/pnyx/pnyx.conf" in f.read().split()
    # the system user and its private state directory
    with open(t / "usr/lib/sysusers.d/pnyx.conf") as f:
        assert re.search(r"^u pnyx - .* /var/lib/pnyx$", f.read(), re.M)
    with open(t / "usr/lib/tmpfiles.d/pnyx.conf") as f:
        assert re.search(r"^d /var/lib/pnyx 0700 pnyx pnyx", f.read(), re.M)
    with open(built["control"] / "postinst") as f:
        post = f.read()
    assert "systemd-sysusers" in post and "systemd-tmpfiles" in post
    assert "pnyx.service" in post and "pnyx-backup.timer" in post


def test_the_unit_is_hardened(built):
    u = unit(built["tree"], "pnyx.service")["Service"]
    assert u["Type"] == "notify"
    assert u["User"] == "pnyx" and u["Group"] == "pnyx"
    assert u["ExecStart"] == "/usr/bin/pnyx serve --config /etc/pnyx/pnyx.conf"
    assert u["Restart"] == "on-failure"
    assert u["KillSignal"] == "SIGTERM"
    for key, want in [("ProtectSystem", "strict"), ("ReadWritePaths", "/var/lib/pnyx"),
                      ("NoNewPrivileges", "yes"), ("PrivateTmp", "yes"),
                      ("ProtectHome", "yes"), ("PrivateDevices", "yes"),
                      ("CapabilityBoundingSet", ""), ("StateDirectoryMode", "0700"),
                      ("SystemCallArchitectures", "native"), ("UMask", "0077")]:
        assert u.get(key) == want, (key, u.get(key))
    assert "@system-service" in u["SystemCallFilter"]
    assert "~@privileged" in u["SystemCallFilter"]
    timer = unit(built["tree"], "pnyx-backup.timer")
    assert timer["Timer"]["OnCalendar"] == "daily"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze")
def test_the_units_exposure_is_low(built):
    p = subprocess.run(["systemd-analyze", "security", "--offline=true",
                        f"--root={built['tree']}", "pnyx.service"],
                       capture_output=True, text=True, timeout=120)
    m = re.search(r"Overall exposure level for pnyx.service: ([\d.]+)", p.stdout)
    assert m, p.stdout[-2000:] + p.stderr
    assert float(m.group(1)) <= 2.0, p.stdout  # docs/operations.md states the figure


def test_the_dependencies_are_the_libraries_it_links(built):
    """Every library the binary names (NEEDED) belongs to a package of its
    Depends, libc6's own aside (glibc is always there)."""
    depends = field(built["deb"], "Depends")
    names = {d.strip().split()[0] for d in re.split(r"[,|]", depends)}
    binary = built["tree"] / "usr/bin/pnyx"
    needed = re.findall(r"NEEDED\s+(\S+)", subprocess.run(
        ["objdump", "-p", binary], check=True, capture_output=True, text=True).stdout)
    where = dict(re.findall(r"^\s*(\S+) => (/\S+)", subprocess.run(
        ["ldd", binary], check=True, capture_output=True, text=True).stdout, re.M))
    assert len(needed) >= 9, needed
    for lib in needed:
        path = where[lib]
        real = os.path.realpath(path)
        owner = None
        for cand in (path, real, real.replace("/usr/lib/", "/lib/", 1),
                     real.replace("/lib/", "/usr/lib/", 1)):
            p = subprocess.run(["dpkg", "-S", cand], capture_output=True, text=True)
            if p.returncode == 0:
                owner = p.stdout.split(":")[0]
                break
        assert owner, lib
        assert owner in names or owner == "libc6", (lib, owner, depends)
    for want in ["libsqlite3-0", "libsodium23", "libmicrohttpd12", "libjansson4",
                 "libsystemd0", "libcurl4", "libglpk40", "libical3", "tzdata"]:
        assert want in names, (want, depends)


@pytest.mark.skipif(not shutil.which("lintian"), reason="lintian is not installed")
def test_lintian_is_clean(built):
    changes = glob.glob(str(built["work"] / "pnyx_*.changes"))
    assert len(changes) == 1
    p = subprocess.run(["lintian", "--fail-on", "error,warning", changes[0]],
                       capture_output=True, text=True, timeout=600)
    tags = [l for l in p.stdout.splitlines() if re.match(r"^[EW]: ", l)]
    assert p.returncode == 0 and not tags, p.stdout + p.stderr


def test_the_units_command_serves_from_the_extracted_tree(built, tmp_path):
    t = built["tree"]
    u = unit(t, "pnyx.service")["Service"]
    binary = str(t / "usr/bin/pnyx")
    db = tmp_path / "pnyx.db"
    # ExecStartPre: the database made on the first start, once
    pre = u["ExecStartPre"]
    m = re.search(r"'(.*)'", pre)
    script = m.group(1).replace("/usr/bin/pnyx", binary).replace("/var/lib/pnyx/pnyx.db", str(db))
    for _ in range(2):
        p = subprocess.run(["/bin/sh", "-c", script], capture_output=True, text=True)
        assert p.returncode == 0, p.stderr
    assert db.exists() and oct(os.stat(str(db) + ".key").st_mode & 0o777) == "0o600"
    # ExecStart, with the package's own configuration file; only where to
    # listen and the database are given on the command line
    cmd = shlex.split(u["ExecStart"])
    cmd[0] = binary
    cmd = [c.replace("/etc/pnyx/pnyx.conf", str(t / "etc/pnyx/pnyx.conf")) for c in cmd]
    cmd += ["--listen", "127.0.0.1:0", "--db", str(db)]
    notify = str(tmp_path / "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(notify)
    sock.settimeout(60)
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, NOTIFY_SOCKET=notify))
    try:
        line = srv.stdout.readline()
        assert line.startswith("pnyx: serving "), line + srv.stderr.read()
        assert sock.recv(4096).startswith(b"READY=1")
        url = line.split()[-1]
        with urllib.request.urlopen(url + "api/v1/health", timeout=30) as r:
            assert r.status == 200
            assert json.load(r)["status"] == "ok"
        with urllib.request.urlopen(url, timeout=30) as r:
            assert b"pnyx" in r.read()
    finally:
        srv.terminate()
        srv.communicate(timeout=30)
        sock.close()
    assert srv.returncode == 0
