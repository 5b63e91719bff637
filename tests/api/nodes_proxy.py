"""What the tests of faults between nodes share (test_nodes_faults.py,
test_nodes_tree_faults.py): not a test module. A TCP proxy a node is
reached through, which the test can block (a partition), and a delivery
the test makes itself, as a sending node's deliverer does (to duplicate
or reorder what the node sent)."""
import json
import socket
import threading

import requests

from nodes_common import signature_headers
from test_nodes_federation import node_key


class Proxy:
    """127.0.0.1:PORT -> 127.0.0.1:upstream, byte for byte; blocked, it
    closes each connection at once (the peer is unreachable)."""

    def __init__(self):
        self.upstream = None
        self.blocked = False
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.base = "http://127.0.0.1:%d" % self.port
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            if self.blocked or not self.upstream:
                c.close()
                continue
            try:
                u = socket.create_connection(("127.0.0.1", self.upstream))
            except OSError:
                c.close()
                continue
            for a, b in ((c, u), (u, c)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.sock.close()


def deliver_as(sender, receiver, host, path, activity_text):
    """POST activity_text (an activity as sender signed it, from its
    outbox) to receiver's inbox at path, the request signed with sender's
    key as its deliverer signs it, with Host the receiver's public address
    (host: "127.0.0.1:PORT", a proxy's when it is reached through one)."""
    act = json.loads(activity_text)
    data = activity_text.encode()
    h = signature_headers("post", path, host, node_key(sender.db),
                          act["actor"] + "#ed25519-key", data)
    return requests.post(receiver.base + path, data=data, headers=h, timeout=30)
