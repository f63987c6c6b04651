#pragma once
// Sample metadata records for the cluster tests: one of every type, valid in this order.

#include <vector>

#include "broker/cluster/metadata_record.h"

namespace broker::cluster::testing {

// A valid cluster id (22 characters of URL-safe base64, 16 bytes).
inline constexpr const char* kClusterId = "D4-tW9nLRp-hZXCGdyiVDg";

inline Uuid uuid(uint8_t tag) {
    Uuid id{};
    id[0] = tag;
    id[15] = 0x5a;
    return id;
}

inline RegisterBrokerRecord broker_record(int32_t id, int64_t epoch, const char* rack = nullptr) {
    RegisterBrokerRecord r;
    r.broker_id = id;
    r.incarnation_id = uuid(static_cast<uint8_t>(100 + id));
    r.broker_epoch = epoch;
    if (rack) r.rack = rack;
    r.endpoints = {{"PLAIN", "b" + std::to_string(id) + ".svc", 9092, "PLAINTEXT"},
                   {"REPLICATION", "10.0.0." + std::to_string(id), 9091, "PLAINTEXT"}};
    r.fenced = true;
    return r;
}

// One of every record type, in an order that applies cleanly to an empty state.
inline std::vector<MetadataRecord> every_record_type() {
    return {
        ClusterIdRecord{kClusterId},
        broker_record(1, 1, "a"),
        broker_record(2, 2),
        BrokerFencingRecord{1, 1, false},
        TopicRecord{"orders", uuid(1)},
        PartitionRecord{uuid(1), 0, {1, 2}, {1, 2}, 1, 0, 0},
        PartitionChangeRecord{uuid(1), 0, 2, std::vector<int32_t>{2}, std::nullopt, std::nullopt},
        PartitionChangeRecord{uuid(1), 0, std::nullopt, std::nullopt, std::nullopt, 9},  // v1
        ConfigRecord{ConfigResourceType::Topic, "orders", "retention.ms", "1000"},
        ConfigRecord{ConfigResourceType::Broker, "", "log.retention.ms", "5000"},
        UnregisterBrokerRecord{2, 2},
        TopicRecord{"gone", uuid(2)},
        RemoveTopicRecord{uuid(2)},
    };
}

}  // namespace broker::cluster::testing
