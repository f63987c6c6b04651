#pragma once
// The values the group state machine (group.h) takes and gives: a member as the coordinator
// keeps it, the arguments of JoinGroup/SyncGroup, and the replies. Plain data.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/protocol/error_code.h"

namespace broker::server::groups {

using common::protocol::ErrorCode;
using Bytes = std::vector<uint8_t>;

// Kafka's classic group states, reported under Kafka's names.
enum class GroupState { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead };

std::string_view state_name(GroupState state);
// Case-insensitive, as ListGroups' states filter compares.
std::optional<GroupState> parse_state(std::string_view name);

// One protocol (assignor) a member supports, with its subscription metadata.
struct Protocol {
    std::string name;
    Bytes metadata;
    bool operator==(const Protocol&) const = default;
};

struct Member {
    std::string id;
    std::optional<std::string> instance_id;  // group.instance.id (static membership)
    std::string client_id;
    std::string client_host;
    int32_t session_timeout_ms = 0;
    int32_t rebalance_timeout_ms = 0;
    std::vector<Protocol> protocols;  // in the member's order of preference
    Bytes assignment;
    bool awaiting_join = false;  // holds a JoinGroup the current rebalance answers
    bool awaiting_sync = false;  // holds a SyncGroup the leader's assignment answers
    int64_t session_deadline_ms = 0;

    // This member's metadata for `protocol`, or nullptr.
    const Bytes* metadata_for(std::string_view protocol) const;
};

struct JoinArgs {
    std::string member_id;  // "" for a new member
    std::optional<std::string> instance_id;
    std::string client_id;
    std::string client_host;
    int32_t session_timeout_ms = 0;
    int32_t rebalance_timeout_ms = 0;
    std::string protocol_type;
    std::vector<Protocol> protocols;
    bool require_known_member_id = false;   // JoinGroup v4+: MEMBER_ID_REQUIRED round trip
    bool supports_skip_assignment = false;  // JoinGroup v9+
    std::string new_member_id;              // the id a new member gets (made by the caller)
};

struct JoinedMember {
    std::string member_id;
    std::optional<std::string> instance_id;
    Bytes metadata;
    bool operator==(const JoinedMember&) const = default;
};

struct JoinReply {
    ErrorCode error = ErrorCode::None;
    int32_t generation = -1;
    std::string protocol_type;
    std::optional<std::string> protocol_name;
    std::string leader;
    std::string member_id;
    bool skip_assignment = false;
    std::vector<JoinedMember> members;  // the leader's only
};

struct SyncArgs {
    std::string member_id;
    std::optional<std::string> instance_id;
    int32_t generation = -1;
    std::optional<std::string> protocol_type;  // SyncGroup v5+: checked when given
    std::optional<std::string> protocol_name;
    std::vector<std::pair<std::string, Bytes>> assignments;  // the leader's
};

struct SyncReply {
    ErrorCode error = ErrorCode::None;
    std::string protocol_type;
    std::optional<std::string> protocol_name;
    Bytes assignment;
};

// A reply to a request the group held back, now ready for member `member_id`.
struct Delivery {
    std::string member_id;
    std::variant<JoinReply, SyncReply> reply;
};

// What a JoinGroup led to: a reply now, or a wait for a Delivery to `member_id`.
struct JoinOutcome {
    std::optional<JoinReply> reply;
    std::string member_id;
    bool write_first = false;  // write the group record before sending the reply
};

// What a SyncGroup led to: a reply now, or a wait for a Delivery. `write_assignment`: the
// leader's assignment is in; write record() then call assignment_stored().
struct SyncOutcome {
    std::optional<SyncReply> reply;
    bool write_assignment = false;
};

// A group as DescribeGroups reports it: protocol, metadata and assignments only when Stable.
struct DescribedMember {
    std::string member_id;
    std::optional<std::string> instance_id;
    std::string client_id;
    std::string client_host;
    Bytes metadata;
    Bytes assignment;
};

struct GroupDescription {
    GroupState state = GroupState::Dead;
    std::string protocol_type;
    std::string protocol;
    std::vector<DescribedMember> members;
};

}  // namespace broker::server::groups
