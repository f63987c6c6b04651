"""A fault-injecting TCP proxy for the brokers' Raft listener (standard library only).

A FaultProxy listens on a loopback address and forwards every connection to one target (a
broker's Raft listener). Raft connections start with a Hello frame naming the dialing node and the
node it meant to reach (broker/raft/rpc_frame.h):

    uint32 size | uint16 api (0 = Hello) | uint16 version | uint64 group | int32 from | int32 to

so the proxy knows which broker pair each connection joins. block(node) cuts every connection to
or from that node and refuses new ones until unblock(node): put one proxy in front of every
broker's Raft listener, name the proxies in controller.quorum.voters, and blocking node N on all
of them isolates broker N from the others (in both directions, whoever dials). A connection that
does not start with a Hello is forwarded untouched.

Threads: one accept thread, two pump threads per connection. stop() closes everything.
"""

import socket
import struct
import threading

HELLO_BYTES = 4 + 12 + 8  # size field, frame header, from + to


def _recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return buf


def parse_hello(first):
    """(from, to) when `first` (HELLO_BYTES bytes) is a Raft Hello frame, else None."""
    size, api, _version, _group, src, dst = struct.unpack(">IHHqii", first)
    if api != 0 or size != HELLO_BYTES - 4:
        return None
    return src, dst


class FaultProxy:
    """One listening address forwarding to one target. Not reusable after stop()."""

    def __init__(self, listen_host, target_host, target_port):
        self.target = (target_host, target_port)
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((listen_host, 0))
        self._listener.listen(64)
        self.host, self.port = self._listener.getsockname()
        self._lock = threading.Lock()
        self._blocked = set()
        self._conns = []  # (client socket, upstream socket, (from, to) or None)
        self._stopped = False
        self.refused = 0
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def address(self):
        return "%s:%d" % (self.host, self.port)

    def block(self, node):
        with self._lock:
            self._blocked.add(node)
            doomed = [c for c in self._conns if c[2] and node in c[2]]
        for conn in doomed:
            self._close(conn)

    def unblock(self, node):
        with self._lock:
            self._blocked.discard(node)

    def heal(self):
        with self._lock:
            self._blocked.clear()

    def stop(self):
        with self._lock:
            self._stopped = True
            conns = list(self._conns)
        try:
            self._listener.close()
        except OSError:
            pass
        for conn in conns:
            self._close(conn)

    def _close(self, conn):
        with self._lock:
            if conn in self._conns:
                self._conns.remove(conn)
        for s in conn[:2]:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _accept_loop(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        first = _recv_exact(client, HELLO_BYTES)
        ids = parse_hello(first) if first else None
        with self._lock:
            refused = self._stopped or first is None or (
                ids is not None and (ids[0] in self._blocked or ids[1] in self._blocked))
            if refused:
                self.refused += 1
        if refused:
            client.close()
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            upstream.sendall(first)
        except OSError:
            client.close()
            return
        conn = (client, upstream, ids)
        with self._lock:
            self._conns.append(conn)
        threading.Thread(target=self._pump, args=(conn, client, upstream), daemon=True).start()
        self._pump(conn, upstream, client)

    def _pump(self, conn, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        self._close(conn)
