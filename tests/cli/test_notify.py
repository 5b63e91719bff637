"""Under systemd (the package's unit is Type=notify) pnyx serve says READY=1
once it serves, not when the process starts, and STOPPING=1 when a SIGTERM
begins its graceful stop. A datagram socket stands in for systemd's
(NOTIFY_SOCKET, the protocol of sd_notify(3))."""
import os
import signal
import socket
import subprocess

from conftest import PNYX


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
