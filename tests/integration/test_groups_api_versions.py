"""ApiVersions of a real broker lists every consumer-group API over the versions real clients
send (librdkafka 2.0.2, kafkajs 2.2.4, kafka-python 2.0.2)."""

import groups_common
import harness


class GroupApiVersionsTest(harness.BrokerTestCase):
    def test_broker_advertises_every_group_api_over_the_versions_clients_send(self):
        broker = self.start_broker(groups_common.GROUP_BROKER_CONFIG)
        versions = harness.api_versions(broker.host, broker.port)
        for key, (name, client_max) in sorted(groups_common.GROUP_APIS.items()):
            self.assertIn(key, versions, "ApiVersions must list %s (key %d): %s"
                          % (name, key, sorted(versions)))
            lo, hi = versions[key]
            self.assertEqual(lo, 0, "%s must be served from version 0" % name)
            self.assertGreaterEqual(hi, client_max, "%s: clients send up to v%d, broker has %d-%d"
                                    % (name, client_max, lo, hi))


if __name__ == "__main__":
    harness.main()
