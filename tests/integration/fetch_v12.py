"""Fetch v12 on the wire (flexible versions: compact strings and arrays, tagged fields), for
tests that read what the Python clients do not expose, such as a partition's CurrentLeader
(tag 1). One partition per request; the answer's first partition is decoded."""

import socket
import struct

import harness

FETCH = 1
VERSION = 12


def _uvarint(n):
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def _compact_string(s):
    data = s.encode()
    return _uvarint(len(data) + 1) + data


class FlexibleReader:
    """Reads a flexible-version response: fixed fields, uvarints, compact bytes, tags."""

    def __init__(self, data):
        self.data = data
        self.pos = 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ValueError("Fetch v12 response truncated at byte %d" % self.pos)
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def unpack(self, fmt):
        return struct.unpack(">" + fmt, self.take(struct.calcsize(">" + fmt)))

    def uvarint(self):
        shift = result = 0
        while True:
            (byte,) = self.take(1)
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    def compact_bytes(self):
        n = self.uvarint()
        return None if n == 0 else self.take(n - 1)

    def tagged(self):
        """{tag: raw bytes} of a tagged-fields section."""
        return {self.uvarint(): self.take(self.uvarint()) for _ in range(self.uvarint())}


def _request(topic, partition, offset, current_leader_epoch):
    body = struct.pack(">iiiibii", -1, 0, 1, 1 << 20, 0, 0, -1)  # replica, waits, bytes, session
    body += _uvarint(2) + _compact_string(topic)  # one topic
    body += _uvarint(2) + struct.pack(">iiqiqi", partition, current_leader_epoch, offset, -1, -1,
                                      1 << 20)
    body += _uvarint(0)  # partition tags
    body += _uvarint(0)  # topic tags
    body += _uvarint(1)  # no forgotten topics
    body += _compact_string("")  # rack id
    body += _uvarint(0)  # request tags
    return body


def fetch(host, port, topic, partition, offset=0, current_leader_epoch=-1):
    """Fetch v12 of one partition: {'error': code, 'current_leader': (id, epoch) or None}."""
    cid = b"fetch-v12"
    header = struct.pack(">hhih", FETCH, VERSION, 11, len(cid)) + cid + _uvarint(0)
    payload = header + _request(topic, partition, offset, current_leader_epoch)
    with socket.create_connection((host, port), timeout=15) as sock:
        sock.settimeout(15)
        sock.sendall(struct.pack(">i", len(payload)) + payload)
        frame = harness.read_frame(sock)
    r = FlexibleReader(frame)
    r.unpack("i")  # correlation id
    r.tagged()  # response header tags
    r.unpack("ihi")  # throttle, error, session
    if r.uvarint() < 2:
        raise ValueError("Fetch v12 response without topics")
    r.compact_bytes()  # topic name
    if r.uvarint() < 2:
        raise ValueError("Fetch v12 response without partitions")
    _index, error, _hw, _lso, _start = r.unpack("ihqqq")
    aborted = r.uvarint()
    for _ in range(max(aborted - 1, 0)):
        r.unpack("qq")
        r.tagged()
    r.unpack("i")  # preferred read replica
    r.compact_bytes()  # records
    tags = r.tagged()
    leader = None
    if 1 in tags:
        leader_id, leader_epoch = struct.unpack(">ii", tags[1][:8])
        leader = (leader_id, leader_epoch)
    return {"error": error, "current_leader": leader}
