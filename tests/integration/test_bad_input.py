"""Bad input on a raw socket (oversized, negative-size, truncated-header, malformed-body and
unknown-API frames): that connection is closed with a log line, and the broker keeps serving a
connection that was already open as well as new clients."""

import socket
import struct
import time

import harness

# Words one of which the broker's log line about a rejected frame is expected to contain.
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
            try:
                s.sendall(BAD_FRAMES[name])
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.assertTrue(harness.wait_closed(s), "%s: the broker must close the connection"
                            % name)

        new_lines = self.wait_for_log_line(log_before)
        self.assertTrue(any(w in new_lines for w in LOG_WORDS),
                        "%s: the broker log must say why the connection closed; new log:\n%s"
                        % (name, new_lines))

        self.assertTrue(self.broker.running(), "%s: the broker must keep running" % name)
        self.kcat(self.broker, "-L")  # a new client is served
        self.bystander.sendall(harness.encode_request(18, 0, 42))
        frame = harness.read_frame(self.bystander)
        self.assertEqual(struct.unpack(">ih", frame[:6]), (42, 0),
                         "%s: an already open connection must still be served" % name)

    def wait_for_log_line(self, log_before, timeout=10.0):
        """The log text after log_before, once it holds one of LOG_WORDS (or at the timeout)."""
        deadline = time.monotonic() + timeout
        while True:
            new_lines = self.broker.log_text()[log_before:].lower()
            if any(w in new_lines for w in LOG_WORDS) or time.monotonic() > deadline:
                return new_lines
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
