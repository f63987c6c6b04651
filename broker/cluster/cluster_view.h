#pragma once
// The admin API's view of clustered metadata (GET /v1/cluster): the cluster id (null until
// committed), registered brokers (id, epoch, rack, fenced, endpoints), the controller quorum
// leader, and every topic's partitions with leader, leader epoch, replicas and ISR, as this
// node's MetadataCache has them. Pure.

#include <cstdint>
#include <string>

#include "broker/cluster/metadata_state.h"

namespace broker::cluster {

// {"cluster_id":"<22 chars>","controller_id":1,
//  "brokers":[{"id":1,"epoch":3,"rack":null,"fenced":false,
//   "endpoints":[{"name":"PLAINTEXT","host":"..","port":9092}]}],
//  "topics":[{"name":"t","topic_id":"<32 hex>","partitions":[{"partition":0,"leader":1,
//   "leader_epoch":2,"replicas":[1,2,3],"isr":[1,2]}]}]}
std::string cluster_view_json(const MetadataState& state, int32_t controller_id);

}  // namespace broker::cluster
