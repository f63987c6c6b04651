#include "broker/cluster/quorum_learners.h"

namespace broker::cluster {

std::optional<LearnerChange> next_learner_change(const raft::Membership& membership,
                                                 const MetadataState& state) {
    for (const auto& [id, broker] : state.brokers()) {
        if (id >= 0 && !membership.contains(raft::NodeId(id))) {
            return LearnerChange{LearnerChange::Kind::Add, id};
        }
    }
    return std::nullopt;
}

}  // namespace broker::cluster
