#pragma once
// Group: one consumer group under Kafka's classic protocol — membership, generations, protocol
// selection, rebalance and session timeouts, static membership — plus its committed offsets.
// Pure and clock-driven: every call takes `now_ms`, nothing blocks, nothing is written. Replies
// to held JoinGroup/SyncGroup requests come out of take_deliveries(); the coordinator drives
// timeouts with advance() at next_deadline() and writes record() when take_record_dirty() says.
//
// Owned by its GroupCoordinator; used only on that coordinator's shard.

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "broker/server/groups/group_config.h"
#include "broker/server/groups/group_store.h"
#include "broker/server/groups/group_types.h"
#include "broker/server/groups/group_view.h"

namespace broker::server::groups {

inline constexpr int64_t kNoDeadline = std::numeric_limits<int64_t>::max();

class Group {
  public:
    Group(std::string id, const GroupConfig& config, int64_t now_ms);
    // A group as __consumer_offsets holds it: Stable with its members (their sessions start
    // now), or Empty.
    static Group restore(const LoadedGroup& loaded, const GroupConfig& config, int64_t now_ms);

    const std::string& id() const { return id_; }
    GroupState state() const { return state_; }
    int32_t generation() const { return generation_; }
    const std::string& protocol_type() const { return protocol_type_; }
    const std::optional<std::string>& protocol() const { return protocol_; }
    const std::string& leader() const { return leader_; }
    const std::vector<Member>& members() const { return members_; }
    bool has_member(const std::string& member_id) const { return find(member_id) != nullptr; }
    // Never had a generation, members, pending members or offsets: nothing worth keeping (a
    // group created by a request that failed).
    bool is_vacant() const {
        return state_ == GroupState::Empty && generation_ == 0 && members_.empty() &&
               pending_members_.empty() && offsets_.empty();
    }

    // Membership (the group APIs). Errors are Kafka's.
    JoinOutcome join(JoinArgs args, int64_t now_ms);
    SyncOutcome sync(const SyncArgs& args, int64_t now_ms);
    // The write of the leader's assignment for `generation` finished with `error` (None: ok).
    void assignment_stored(int32_t generation, ErrorCode error, int64_t now_ms);
    ErrorCode heartbeat(const std::string& member_id, const std::optional<std::string>& instance_id,
                        int32_t generation, int64_t now_ms);
    // One member of a LeaveGroup; by instance id when given (v3+), else by member id.
    ErrorCode leave(const std::string& member_id, const std::optional<std::string>& instance_id,
                    int64_t now_ms);

    // Time: the earliest moment advance() has work, and the work itself.
    int64_t next_deadline() const;
    void advance(int64_t now_ms);

    std::vector<Delivery> take_deliveries();
    // True once after each change Kafka persists without a waiting client (the group became
    // Empty, a static member was replaced).
    bool take_record_dirty();
    GroupRecord record() const;
    GroupView view() const;
    GroupDescription describe() const;
    void mark_dead();

    // Offsets.
    // Whether a member (or, for generation < 0 with no member, a simple client) may commit.
    ErrorCode validate_commit(const std::string& member_id,
                              const std::optional<std::string>& instance_id, int32_t generation,
                              int64_t now_ms);
    const OffsetMap& offsets() const { return offsets_; }
    void apply_offsets(const OffsetMap& committed);
    void remove_offsets(const std::vector<TopicPartition>& partitions);
    // Offsets past retention by Kafka's rule (2.1+): an Empty group's expire `retention_ms` after
    // it became Empty (after their commit if the group never had members); a Stable consumer
    // group's only for topics no member subscribes to; explicit expire timestamps win.
    std::vector<TopicPartition> expired_offsets(int64_t now_ms, int64_t retention_ms) const;
    // Topics the members subscribe to (consumer protocol only; nullopt when unknown).
    std::optional<std::set<std::string>> subscribed_topics() const;

  private:
    Member* find(const std::string& member_id);
    const Member* find(const std::string& member_id) const;
    ErrorCode check_member(const std::string& member_id,
                           const std::optional<std::string>& instance_id) const;
    bool supports(const JoinArgs& args) const;
    std::string select_protocol() const;
    JoinReply current_generation_reply(const Member& member, bool skip_assignment) const;
    JoinReply error_join(ErrorCode error, const std::string& member_id) const;

    JoinOutcome join_new(JoinArgs& args, int64_t now_ms);
    JoinOutcome join_known(JoinArgs& args, int64_t now_ms);
    JoinOutcome add_member_and_rebalance(JoinArgs& args, const std::string& member_id,
                                         int64_t now_ms);
    JoinOutcome replace_static_member(JoinArgs& args, const std::string& old_id, int64_t now_ms);
    void update_member(Member& member, const JoinArgs& args);
    void remove_member(const std::string& member_id, int64_t now_ms);

    void transition(GroupState state, int64_t now_ms);
    void prepare_rebalance(int64_t now_ms);
    void try_complete_join(int64_t now_ms);
    void complete_join(int64_t now_ms);
    void expire_sessions(int64_t now_ms);
    void expire_sync(int64_t now_ms);
    void fail_pending_syncs(ErrorCode error);

    std::string id_;
    const GroupConfig* config_;
    GroupState state_ = GroupState::Empty;
    int64_t state_timestamp_ms_ = -1;
    int32_t generation_ = 0;
    std::string protocol_type_;
    std::optional<std::string> protocol_;
    std::string leader_;
    std::vector<Member> members_;                        // in join order
    std::map<std::string, std::string> static_members_;  // instance id -> member id
    std::map<std::string, int64_t> pending_members_;     // MEMBER_ID_REQUIRED -> deadline
    int64_t join_deadline_ms_ = kNoDeadline;
    int64_t initial_delay_deadline_ms_ = kNoDeadline;  // a new group's delayed first join
    int64_t initial_delay_cap_ms_ = kNoDeadline;
    int64_t sync_deadline_ms_ = kNoDeadline;
    bool assignment_writing_ = false;
    bool record_dirty_ = false;
    std::vector<Delivery> deliveries_;
    OffsetMap offsets_;
};

}  // namespace broker::server::groups
