// One kafkajs consumer-group member for test_groups_kafkajs.py. It prints one JSON line per event
// to stdout (the test redirects it to a file; writes to files and pipes are synchronous in node):
//   {"event":"join","memberId":...,"assignment":{"<topic>":[partitions]}}
//   {"event":"message","partition":p,"offset":"o","value":"v"}  (after processing, before commit)
//   {"event":"crash","error":"..."}
// Each message is committed (offset + 1) right after it was processed: at-least-once.
// Usage: node groups_kafkajs_member.js <host:port> <topic> <group>
'use strict';
const path = require('path');
const prefix = process.env.TRIBUTARY_NODE_CLIENTS ||
    path.join(process.env.HOME, '.cache', 'tributary', 'node-clients');
const {Kafka, logLevel} = require(path.join(prefix, 'node_modules', 'kafkajs'));

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

async function main() {
  const [broker, topic, group] = process.argv.slice(2);
  const kafka = new Kafka({clientId: 'it-groups-kafkajs', brokers: [broker],
                           logLevel: logLevel.WARN, retry: {retries: 10}});
  const consumer = kafka.consumer({groupId: group, sessionTimeout: 6000, heartbeatInterval: 500,
                                   rebalanceTimeout: 20000});
  consumer.on(consumer.events.GROUP_JOIN, (e) => emit({event: 'join',
                                                       memberId: e.payload.memberId,
                                                       assignment: e.payload.memberAssignment}));
  consumer.on(consumer.events.CRASH, (e) => emit({event: 'crash', error: String(e.payload.error)}));
  await consumer.connect();
  await consumer.subscribe({topic, fromBeginning: true});
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({topic: t, partition, message}) => {
      emit({event: 'message', partition, offset: message.offset, value: message.value.toString()});
      await consumer.commitOffsets(
          [{topic: t, partition, offset: (BigInt(message.offset) + 1n).toString()}]);
    },
  });
  const stop = async () => {
    await consumer.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  emit({event: 'crash', error: String(e && e.stack ? e.stack : e)});
  process.exit(1);
});
