#pragma once
// Membership: the voters and learners of one group, as carried by Configuration entries and
// snapshots. Changes are one server at a time (see docs/raft.md): a new membership differs from
// the current one by one learner added, one learner promoted, or one member removed.

#include <optional>
#include <span>
#include <vector>

#include "broker/raft/types.h"
#include "common/result.h"

namespace broker::raft {

// Value type; node lists are kept sorted and free of duplicates.
struct Membership {
    std::vector<NodeId> voters;
    std::vector<NodeId> learners;

    bool is_voter(NodeId id) const;
    bool is_learner(NodeId id) const;
    bool contains(NodeId id) const { return is_voter(id) || is_learner(id); }
    bool empty() const { return voters.empty() && learners.empty(); }
    // Voters needed for a majority.
    size_t quorum() const { return voters.size() / 2 + 1; }
    // Every member but `self` (voters first, then learners).
    std::vector<NodeId> peers_of(NodeId self) const;

    // Builds a normalized membership (sorted, deduplicated, a voter is never also a learner).
    static Membership of(std::vector<NodeId> voters, std::vector<NodeId> learners = {});

    // Binary form of Configuration entry payloads and snapshot metadata: version byte 0, then
    // int32 voter count, voters (int32 each), int32 learner count, learners; big-endian.
    Bytes encode() const;
    static common::Result<Membership> decode(std::span<const uint8_t> data);

    friend bool operator==(const Membership&, const Membership&) = default;
};

// What a snapshot covers: every entry up to `index` (whose term is `term`), and the membership in
// force at that index. index 0 means "no snapshot"; a group's initial membership is stored as a
// snapshot at index 0 so that every founding member starts from the same state.
struct SnapshotMeta {
    Index index = 0;
    Term term{0};
    Membership membership;

    friend bool operator==(const SnapshotMeta&, const SnapshotMeta&) = default;
};

}  // namespace broker::raft
