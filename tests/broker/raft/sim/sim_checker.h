#pragma once
// Checker: the safety properties the Raft simulation verifies, fed by every node's callbacks.
//  - election safety: at most one leader per term;
//  - leader completeness: a new leader of term T holds every entry committed in a term < T;
//  - state-machine safety: every node applies the same entry at each index (and a restored
//    snapshot has the digest of what was applied up to its index);
//  - log matching: two logs holding an entry with the same index and term are identical up to it.
// Violations are collected as text; the test fails on the first. Single-threaded.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "broker/raft/log_storage.h"
#include "broker/raft/raft_node.h"

namespace broker::raft::sim {

// Hash of one entry as applied (index, term, type and payload).
uint64_t entry_hash(const Entry& e);
// The state digest after applying an entry with hash h to a state with digest d.
uint64_t chain_digest(uint64_t d, uint64_t h);

class Checker {
  public:
    void on_status(NodeId id, const NodeStatus& status, const LogStorage& log);
    void on_leader_commit(NodeId id, Term term, Index commit);
    void on_apply(NodeId id, const Entry& e, uint64_t digest_after);
    void on_restore(NodeId id, const SnapshotMeta& meta, uint64_t digest);
    void check_log_matching(const std::map<NodeId, const LogStorage*>& logs);

    // A violation found elsewhere (e.g. an out-of-order apply).
    void report(std::string text) { violation(std::move(text)); }

    bool ok() const { return violations_.empty(); }
    const std::vector<std::string>& violations() const { return violations_; }
    // The committed entry at `index` (term), if any node applied it.
    std::optional<Term> committed_term(Index index) const;
    uint64_t elections() const { return leaders_.size(); }
    Index max_committed() const { return committed_.empty() ? 0 : committed_.rbegin()->first; }

  private:
    struct Committed {
        Term term;
        uint64_t hash = 0;
        uint64_t digest = 0;
    };

    void violation(std::string text);

    std::map<Term, NodeId> leaders_;
    std::map<Index, Committed> committed_;
    std::map<Index, Term> commit_term_;
    Index commit_marked_ = 0;
    std::vector<std::string> violations_;
};

}  // namespace broker::raft::sim
