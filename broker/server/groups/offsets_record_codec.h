#pragma once
// The key and value formats of __consumer_offsets records, byte-compatible with Kafka's own:
//   offset commit   key v0/v1 (group, topic, partition)  value v0-v4 (v1 and v3 written)
//   group metadata  key v2 (group)                       value v0-v4 (v3 written)
// Every key and value starts with its int16 version; v4 values are flexible (compact strings,
// tagged fields). A null value is a tombstone (the caller sees it as a record without value).
// Pure functions: no I/O, no state; decoders are bounds-checked and never throw.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "broker/server/groups/group_store.h"
#include "common/result.h"

namespace broker::server::groups {

// The key of an offset commit record.
struct OffsetRecordKey {
    std::string group;
    TopicPartition partition;
    bool operator==(const OffsetRecordKey&) const = default;
};

// The key of a group metadata record.
struct GroupRecordKey {
    std::string group;
    bool operator==(const GroupRecordKey&) const = default;
};

using OffsetsTopicKey = std::variant<OffsetRecordKey, GroupRecordKey>;

inline constexpr int16_t kOffsetKeyVersion = 1;
inline constexpr int16_t kGroupKeyVersion = 2;

std::vector<uint8_t> encode_offset_key(std::string_view group, const TopicPartition& tp);
std::vector<uint8_t> encode_group_key(std::string_view group);
// v3 (with the leader epoch), or v1 when the commit carries an explicit expire timestamp (the
// only version that holds one). A null metadata is written as "" (the field is not nullable).
std::vector<uint8_t> encode_offset_value(const CommittedOffset& offset);
// v3 (current state timestamp, group instance ids).
std::vector<uint8_t> encode_group_value(const GroupRecord& group);

// Errors: Truncated, Malformed; Unsupported for an unknown key or value version.
[[nodiscard]] common::Result<OffsetsTopicKey> decode_offsets_key(std::span<const uint8_t> key);
[[nodiscard]] common::Result<CommittedOffset> decode_offset_value(std::span<const uint8_t> value);
[[nodiscard]] common::Result<GroupRecord> decode_group_value(std::span<const uint8_t> value);

// Kafka's partition rule for a group: Utils.abs(String.hashCode) % partitions, where hashCode
// runs over the UTF-16 code units of the group id (given here as UTF-8; an invalid byte counts
// as U+FFFD, as Java's decoder makes it). `partitions` must be > 0.
int32_t offsets_partition_for(std::string_view group_id, int32_t partitions);
// Java's String.hashCode of the UTF-8 string `s`.
int32_t java_string_hash(std::string_view s);

}  // namespace broker::server::groups
