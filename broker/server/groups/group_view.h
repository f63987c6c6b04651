#pragma once
// GroupView: a read-only copy of one group's state, taken on the group's shard by
// GroupCoordinator::views() and handed to readers elsewhere (the admin HTTP API's /v1/groups and
// the consumer-lag metrics). Plain data; safe to move across threads.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "broker/server/groups/group_store.h"

namespace broker::server::groups {

struct MemberView {
    std::string member_id;
    std::optional<std::string> group_instance_id;
    std::string client_id;
    std::string client_host;
    std::vector<uint8_t> assignment;  // as SyncGroup delivered it (consumer protocol bytes)
};

struct GroupView {
    std::string group_id;
    std::string
        state;  // Kafka's names: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead
    std::string protocol_type;
    std::string protocol;
    int32_t generation = 0;
    std::vector<MemberView> members;
    OffsetMap offsets;  // committed offsets
};

}  // namespace broker::server::groups
