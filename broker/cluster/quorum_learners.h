#pragma once
// The controller quorum's learners: every broker that is not a voter (a broker-only node,
// process.roles=broker) follows the metadata log as a learner of the controller Raft group
// (raft::kControllerGroup). A broker-only node asks to be added when it starts (quorum_join.h);
// the active controller also adds any registered broker that is not a member (a learner change
// lost with a leader that died before committing it), one change at a time
// (ControllerService::check). A learner never votes or leads. Learners are not removed: a
// broker-only node that joined but is not registered yet must stay. Pure: no I/O, no clock.

#include <cstdint>
#include <optional>

#include "broker/cluster/metadata_state.h"
#include "broker/raft/membership.h"

namespace broker::cluster {

struct LearnerChange {
    enum class Kind { Add, Remove };
    Kind kind = Kind::Add;
    int32_t broker_id = 0;
    bool operator==(const LearnerChange&) const = default;
};

// The lowest registered broker of `state` that is not a member of `membership` (the controller
// group's latest), to add as a learner; nullopt when every registered broker is a member.
std::optional<LearnerChange> next_learner_change(const raft::Membership& membership,
                                                 const MetadataState& state);

}  // namespace broker::cluster
