// kafkajs against a running broker: admin createTopics + fetchTopicMetadata, then a producer
// sends keyed messages with acks=-1. Prints one line "RESULT <json>" for the Python test.
// Usage: node kafkajs_client.js <host:port> <topic> <partitions> <messages>
'use strict';
const path = require('path');
const prefix = process.env.TRIBUTARY_NODE_CLIENTS ||
    path.join(process.env.HOME, '.cache', 'tributary', 'node-clients');
const {Kafka, logLevel} = require(path.join(prefix, 'node_modules', 'kafkajs'));

async function main() {
  const [broker, topic, partitionsArg, messagesArg] = process.argv.slice(2);
  const partitions = Number(partitionsArg);
  const count = Number(messagesArg);
  const kafka = new Kafka({clientId: 'it-kafkajs', brokers: [broker], logLevel: logLevel.WARN,
                           retry: {retries: 3}});

  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics(
      {topics: [{topic, numPartitions: partitions, replicationFactor: 1}], waitForLeaders: true});
  const metadata = await admin.fetchTopicMetadata({topics: [topic]});
  await admin.disconnect();

  const producer = kafka.producer({allowAutoTopicCreation: false});
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({key: `k${i % 13}`, value: `kafkajs-${String(i).padStart(6, '0')}`});
  }
  const sent = [];
  for (let i = 0; i < messages.length; i += 100) {
    const acks = await producer.send({topic, acks: -1, messages: messages.slice(i, i + 100)});
    sent.push(...acks);
  }
  await producer.disconnect();
  console.log('RESULT ' + JSON.stringify({created, metadata, sent}));
}

main().catch((e) => {
  console.error('kafkajs client failed:', e && e.stack ? e.stack : e);
  process.exit(1);
});
