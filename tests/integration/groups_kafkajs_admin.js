// kafkajs admin calls on one consumer group for test_groups_kafkajs.py: listGroups,
// describeGroups and fetchOffsets, then (with "delete") deleteGroups and listGroups again.
// Prints one line "RESULT <json>".
// Usage: node groups_kafkajs_admin.js <host:port> <topic> <group> [delete]
'use strict';
const path = require('path');
const prefix = process.env.TRIBUTARY_NODE_CLIENTS ||
    path.join(process.env.HOME, '.cache', 'tributary', 'node-clients');
const {Kafka, logLevel} = require(path.join(prefix, 'node_modules', 'kafkajs'));

async function main() {
  const [broker, topic, group, action] = process.argv.slice(2);
  const kafka = new Kafka({clientId: 'it-groups-kafkajs-admin', brokers: [broker],
                           logLevel: logLevel.WARN, retry: {retries: 3}});
  const admin = kafka.admin();
  await admin.connect();
  const result = {};
  result.listed = (await admin.listGroups()).groups;
  const described = await admin.describeGroups([group]);
  result.described = described.groups.map((g) => ({
    groupId: g.groupId, state: g.state, protocolType: g.protocolType, protocol: g.protocol,
    errorCode: g.errorCode,
    members: g.members.map((m) => ({memberId: m.memberId, clientId: m.clientId})),
  }));
  result.offsets = await admin.fetchOffsets({groupId: group, topics: [topic]});
  if (action === 'delete') {
    result.deleted = await admin.deleteGroups([group]);
    result.listedAfter = (await admin.listGroups()).groups;
  }
  await admin.disconnect();
  console.log('RESULT ' + JSON.stringify(result));
}

main().catch((e) => {
  console.error('kafkajs admin failed:', e && e.stack ? e.stack : e);
  process.exit(1);
});
