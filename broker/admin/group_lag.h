#pragma once
// Consumer lag as the admin API shows it: for every group, each committed offset beside the log
// end offset (the high watermark) of its partition, and their difference. Pure functions over
// copies (GroupView), so they run on the admin thread; the JSON bodies of /v1/groups and
// /v1/groups/{group}, and the kafka_consumergroup_* Prometheus series, are rendered here.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "broker/server/groups/group_view.h"

namespace broker::admin {

using server::groups::GroupView;
using server::groups::TopicPartition;

struct PartitionLag {
    std::string topic;
    int32_t partition = 0;
    int64_t committed_offset = -1;
    std::optional<int64_t> log_end_offset;  // nullopt: the partition is not on this broker
    std::optional<int64_t> lag;             // log end - committed, never negative
};

// One group with the lag of every partition it committed.
struct GroupLag {
    GroupView view;
    std::vector<PartitionLag> partitions;  // in (topic, partition) order
    // The sum of the known lags.
    int64_t total_lag() const;
};

// The log end offset of a partition, nullopt when unknown.
using LogEndLookup = std::function<std::optional<int64_t>(const TopicPartition&)>;

// Joins the views with the log end offsets; groups come out sorted by id.
std::vector<GroupLag> compute_group_lag(std::vector<GroupView> views, const LogEndLookup& log_end);

// The partitions a "consumer" protocol assignment names (topic -> partitions), nullopt when the
// bytes are not one (other protocol types, garbage).
std::optional<std::map<std::string, std::vector<int32_t>>> decode_consumer_assignment(
    std::span<const uint8_t> assignment);

// GET /v1/groups: {"groups":[{"group","state","protocol_type","protocol","generation","members",
// "lag"}]} (members: the member count; lag: the group's total).
std::string groups_json(const std::vector<GroupLag>& groups);
// GET /v1/groups/{group}: the group with members (client id, host, assignments) and offsets
// (topic, partition, committed_offset, log_end_offset, lag).
std::string group_json(const GroupLag& group);
// The kafka_consumergroup_* series (HELP/TYPE lines included).
std::string group_metrics_text(const std::vector<GroupLag>& groups);

}  // namespace broker::admin
