"""FaultProxy forwards Raft connections and cuts exactly those of a blocked node."""

import os
import socket
import struct
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fault_proxy import FaultProxy, HELLO_BYTES, parse_hello  # noqa: E402


def hello(src, dst):
    return struct.pack(">IHHqii", HELLO_BYTES - 4, 0, 0, 0, src, dst)


class EchoServer:
    """Echoes every byte back on every connection (stands in for a broker's Raft listener)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._echo, args=(c,), daemon=True).start()

    @staticmethod
    def _echo(c):
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                c.sendall(data)
        except OSError:
            pass
        c.close()

    def close(self):
        self.sock.close()


def closed_by_peer(sock):
    """True when the connection ends (data still in flight is read and dropped)."""
    sock.settimeout(10)
    try:
        while sock.recv(65536):
            pass
        return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


class FaultProxyTest(unittest.TestCase):
    def setUp(self):
        self.echo = EchoServer()
        self.proxy = FaultProxy("127.0.0.1", "127.0.0.1", self.echo.port)

    def tearDown(self):
        self.proxy.stop()
        self.echo.close()

    def connect(self, src, dst):
        """A connection through the proxy that has sent its Hello."""
        s = socket.create_connection(("127.0.0.1", self.proxy.port), timeout=10)
        s.sendall(hello(src, dst))
        return s

    @staticmethod
    def echoed(s, payload):
        """Sends payload and returns what comes back (None when the connection closes)."""
        try:
            s.sendall(payload)
            got = b""
            while len(got) < len(payload):
                chunk = s.recv(len(payload) - len(got))
                if not chunk:
                    return None
                got += chunk
            return got
        except (ConnectionResetError, BrokenPipeError):
            return None

    def test_hello_is_parsed(self):
        self.assertEqual(parse_hello(hello(3, 5)), (3, 5))
        self.assertIsNone(parse_hello(b"\x00" * HELLO_BYTES))

    def test_forwards_both_ways(self):
        s = self.connect(1, 2)
        # The echo server returns the Hello first, then each payload in order.
        self.assertEqual(self.echoed(s, b"p" * HELLO_BYTES), hello(1, 2))
        self.assertEqual(self.echoed(s, b"ping"), b"pppp")
        s.close()

    def test_blocking_a_node_cuts_its_connections_and_refuses_new_ones(self):
        to_blocked = self.connect(1, 2)
        from_blocked = self.connect(2, 3)
        other = self.connect(1, 3)
        for s, (src, dst) in ((to_blocked, (1, 2)), (from_blocked, (2, 3)), (other, (1, 3))):
            self.assertEqual(self.echoed(s, b"x" * HELLO_BYTES), hello(src, dst))
        self.proxy.block(2)
        self.assertTrue(closed_by_peer(to_blocked))
        self.assertTrue(closed_by_peer(from_blocked))
        self.assertEqual(self.echoed(other, b"still"), b"x" * 5)
        refused = self.connect(2, 1)
        self.assertTrue(closed_by_peer(refused))
        self.assertEqual(self.proxy.refused, 1)
        self.proxy.unblock(2)
        healed = self.connect(2, 1)
        self.assertEqual(self.echoed(healed, b"y" * HELLO_BYTES), hello(2, 1))
        for s in (to_blocked, from_blocked, other, refused, healed):
            s.close()


if __name__ == "__main__":
    unittest.main()
