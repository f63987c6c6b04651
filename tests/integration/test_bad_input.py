"""Bad input on a raw socket (oversized, negative-size, truncated-header, malformed-body and
unknown-API frames): that connection is closed with a log line, and the broker keeps serving a
connection that was already open as well as new clients."""

import socket
import struct
import time

import harness

# The broker's log line about a rejected frame names the client's address and one of these.
LOG_WORDS = ("frame", "size", "malformed", "invalid", "unknown", "unsupported", "truncated",
             "decode", "closing", "closed")


def header(api_key, api_version, correlation_id, client_id=b"bad-input"):
    return struct.pack(">hhih", api_key, api_version, correlation_id, len(client_id)) + client_id


def framed(payload):
    return struct.pack(">i", len(payload)) + payload


BAD_FRAMES = {
    "oversized": struct.pack(">i", 0x7FFFFFF0) + b"\0" * 64,
    "negative_size": struct.pack(">i", -5) + b"\0" * 16,
    # Metadata v1 header whose client id claims 1000 bytes of a 12-byte frame.
    "truncated_header": framed(struct.pack(">hhih", 3, 1, 1, 1000) + b"abc"),
    # Metadata v1 whose topics array claims 2^31-1 entries and holds none.
    "malformed_body": framed(header(3, 1, 1) + struct.pack(">i", 0x7FFFFFFF)),
    "unknown_api_key": framed(header(9999, 0, 1)),
}


class BadInputTest(harness.BrokerTestCase):
    def setUp(self):
        self.broker = self.start_broker()
        self.bystander = socket.create_connection((self.broker.host, self.broker.port), 10)
        self.addCleanup(self.bystander.close)

    def check_rejected(self, name):
        log_before = len(self.broker.log_text())
        with socket.create_connection((self.broker.host, self.broker.port), 10) as s:
            peer = "%s:%d" % s.getsockname()
            try:
                s.sendall(BAD_FRAMES[name])
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.assertTrue(harness.wait_closed(s), "%s: the broker must close the connection"
                            % name)

        line = self.wait_for_log_line(log_before, peer)
        self.assertTrue(any(w in line.lower() for w in LOG_WORDS),
                        "%s: the broker must log a line naming the client (%s) and why its "
                        "connection closed; got %r; new log:\n%s"
                        % (name, peer, line, self.broker.log_text()[log_before:]))

        self.assertTrue(self.broker.running(), "%s: the broker must keep running" % name)
        self.kcat(self.broker, "-L")  # a new client is served
        self.bystander.sendall(harness.encode_request(18, 0, 42))
        frame = harness.read_frame(self.bystander)
        self.assertEqual(struct.unpack(">ih", frame[:6]), (42, 0),
                         "%s: an already open connection must still be served" % name)

    def wait_for_log_line(self, log_before, peer, timeout=10.0):
        """The first new line that names peer and one of LOG_WORDS; at the timeout, whatever new
        lines name peer ('' if none)."""
        deadline = time.monotonic() + timeout
        while True:
            lines = [l for l in self.broker.log_text()[log_before:].splitlines() if peer in l]
            for line in lines:
                if any(w in line.lower() for w in LOG_WORDS):
                    return line
            if time.monotonic() > deadline:
                return "\n".join(lines)
            time.sleep(0.05)

    def test_oversized_frame_closes_only_that_connection(self):
        self.check_rejected("oversized")

    def test_negative_frame_size_closes_only_that_connection(self):
        self.check_rejected("negative_size")

    def test_truncated_request_header_closes_only_that_connection(self):
        self.check_rejected("truncated_header")

    def test_malformed_request_body_closes_only_that_connection(self):
        self.check_rejected("malformed_body")

    def test_unknown_api_key_closes_only_that_connection(self):
        self.check_rejected("unknown_api_key")

    def test_broker_exits_cleanly_after_bad_input(self):
        for name in BAD_FRAMES:
            self.check_rejected(name)
        self.assertEqual(self.broker.stop(), 0, "SIGTERM after bad input must exit 0")


if __name__ == "__main__":
    harness.main()
