#include "tests/broker/raft/sim/sim_checker.h"

#include <algorithm>
#include <sstream>

namespace broker::raft::sim {
namespace {

uint64_t fnv(uint64_t h, uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string describe(NodeId id) {
    return "node " + std::to_string(id.value());
}

}  // namespace

uint64_t entry_hash(const Entry& e) {
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv(h, static_cast<uint64_t>(e.index));
    h = fnv(h, static_cast<uint64_t>(e.term.value()));
    h = fnv(h, static_cast<uint64_t>(e.type));
    for (uint8_t b : e.payload) {
        h = (h ^ b) * 0x100000001b3ULL;
    }
    return h;
}

uint64_t chain_digest(uint64_t d, uint64_t h) {
    return fnv(fnv(0xcbf29ce484222325ULL, d), h);
}

void Checker::violation(std::string text) {
    violations_.push_back(std::move(text));
}

std::optional<Term> Checker::committed_term(Index index) const {
    auto it = committed_.find(index);
    if (it == committed_.end()) {
        return std::nullopt;
    }
    return it->second.term;
}

void Checker::on_status(NodeId id, const NodeStatus& status, const LogStorage& log) {
    if (status.role != Role::Leader) {
        return;
    }
    auto [it, inserted] = leaders_.emplace(status.term, id);
    if (!inserted && it->second != id) {
        violation("election safety: term " + std::to_string(status.term.value()) + " has leaders " +
                  describe(it->second) + " and " + describe(id));
        return;
    }
    // Leader completeness: every entry committed in an earlier term is in the new leader's log.
    for (const auto& [index, term] : commit_term_) {
        if (term >= status.term || index <= log.snapshot_meta().index) {
            continue;
        }
        auto known = committed_.find(index);
        if (known == committed_.end()) {
            continue;
        }
        const Committed& c = known->second;
        auto have = log.term_at(index);
        if (!have || have.value() != c.term) {
            violation("leader completeness: " + describe(id) + " leads term " +
                      std::to_string(status.term.value()) + " without committed entry " +
                      std::to_string(index) + " (term " + std::to_string(c.term.value()) + ")");
            return;
        }
    }
}

void Checker::on_leader_commit(NodeId id, Term term, Index commit) {
    (void)id;
    for (Index i = commit_marked_ + 1; i <= commit; ++i) {
        commit_term_[i] = term;
    }
    commit_marked_ = std::max(commit_marked_, commit);
}

void Checker::on_apply(NodeId id, const Entry& e, uint64_t digest_after) {
    uint64_t h = entry_hash(e);
    auto [it, inserted] = committed_.emplace(e.index, Committed{e.term, h, digest_after});
    if (!inserted && (it->second.hash != h || it->second.digest != digest_after)) {
        std::ostringstream os;
        os << "state-machine safety: " << describe(id) << " applied index " << e.index << " term "
           << e.term << " but term " << it->second.term << " was applied there before";
        violation(os.str());
    }
}

void Checker::on_restore(NodeId id, const SnapshotMeta& meta, uint64_t digest) {
    auto it = committed_.find(meta.index);
    if (meta.index > 0 && it != committed_.end() && it->second.digest != digest) {
        violation("state-machine safety: " + describe(id) + " restored a snapshot at " +
                  std::to_string(meta.index) + " whose digest differs from the applied state");
    }
}

void Checker::check_log_matching(const std::map<NodeId, const LogStorage*>& logs) {
    for (auto a = logs.begin(); a != logs.end(); ++a) {
        for (auto b = std::next(a); b != logs.end(); ++b) {
            const LogStorage& x = *a->second;
            const LogStorage& y = *b->second;
            Index lo = std::max(x.first_index(), y.first_index());
            Index hi = std::min(x.last_index(), y.last_index());
            // Highest common index with equal terms; everything from lo up to it must be equal.
            Index top = 0;
            for (Index i = hi; i >= lo; --i) {
                if (x.term_at(i).value() == y.term_at(i).value()) {
                    top = i;
                    break;
                }
            }
            if (top < lo) {
                continue;
            }
            auto ex = x.read(lo, top, SIZE_MAX);
            auto ey = y.read(lo, top, SIZE_MAX);
            if (!ex || !ey || ex.value() != ey.value()) {
                violation("log matching: " + describe(a->first) + " and " + describe(b->first) +
                          " agree on index " + std::to_string(top) + " but differ at or before it");
                return;
            }
        }
    }
}

}  // namespace broker::raft::sim
