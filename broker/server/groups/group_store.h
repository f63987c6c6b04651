#pragma once
// GroupStore: where the group coordinator keeps what must survive a restart — group metadata and
// committed offsets — in the internal compacted topic __consumer_offsets. The coordinator holds
// everything in memory and calls the store to make each change durable before it answers the
// client; at start (and whenever this broker takes over a __consumer_offsets partition) it loads
// the partition back. The real store writes Kafka's own key/value record formats to the
// partition's log; a fake keeps them in memory for unit tests.
//
// Threading: one GroupStore per shard, used only on its shard; partition_for() is pure and may be
// called anywhere. Every call for a group runs on the shard that owns partition_for(group).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/asio.h"
#include "common/result.h"

namespace broker::server::groups {

inline constexpr std::string_view kOffsetsTopic = "__consumer_offsets";

struct TopicPartition {
    std::string topic;
    int32_t partition = 0;
    auto operator<=>(const TopicPartition&) const = default;
};

// One committed offset, as OffsetCommit stores it and OffsetFetch returns it.
struct CommittedOffset {
    int64_t offset = -1;
    int32_t leader_epoch = -1;  // -1: not given
    std::optional<std::string> metadata;
    int64_t commit_timestamp_ms = -1;
    int64_t expire_timestamp_ms = -1;  // -1: expires by offsets.retention.minutes
    bool operator==(const CommittedOffset&) const = default;
};

using OffsetMap = std::map<TopicPartition, CommittedOffset>;

// One member as the group metadata record stores it.
struct MemberRecord {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    int32_t rebalance_timeout_ms = 0;
    int32_t session_timeout_ms = 0;
    std::vector<uint8_t> subscription;  // the chosen protocol's metadata
    std::vector<uint8_t> assignment;
    bool operator==(const MemberRecord&) const = default;
};

// The group metadata record: written when a generation completes (SyncGroup from the leader) and
// when the group becomes Empty, as Kafka does.
struct GroupRecord {
    std::string protocol_type;  // "consumer", "connect", ... ("" for offsets-only groups)
    int32_t generation = 0;
    std::optional<std::string> protocol;  // the selected assignor
    std::optional<std::string> leader;    // member id
    int64_t current_state_timestamp_ms = -1;
    std::vector<MemberRecord> members;
    bool operator==(const GroupRecord&) const = default;
};

// What load() finds for one group. A group with a tombstoned metadata record and no offsets is
// not returned.
struct LoadedGroup {
    std::string group_id;
    std::optional<GroupRecord> metadata;
    OffsetMap offsets;
};

class GroupStore {
  public:
    virtual ~GroupStore() = default;

    // The __consumer_offsets partition that holds `group_id`: Kafka's rule,
    // abs(java String.hashCode(group_id)) % offsets.topic.num.partitions.
    virtual int32_t partition_for(std::string_view group_id) const = 0;

    // Each write completes once it is durable (as acks=all does). Errors: the partition's.
    virtual common::awaitable<common::Result<void>> write_group(const std::string& group_id,
                                                                const GroupRecord& record) = 0;
    virtual common::awaitable<common::Result<void>> write_offsets(const std::string& group_id,
                                                                  const OffsetMap& offsets) = 0;
    // Tombstones for these offsets (OffsetDelete, expiry).
    virtual common::awaitable<common::Result<void>> delete_offsets(
        const std::string& group_id, const std::vector<TopicPartition>& partitions) = 0;
    // Tombstones for the group's metadata and every offset it has (DeleteGroups).
    virtual common::awaitable<common::Result<void>> delete_group(const std::string& group_id,
                                                                 const OffsetMap& offsets) = 0;

    // Reads partition `partition` of __consumer_offsets from its start: the newest record per key
    // wins and tombstones remove. Errors: the partition's.
    virtual common::awaitable<common::Result<std::vector<LoadedGroup>>> load(int32_t partition) = 0;
};

}  // namespace broker::server::groups
