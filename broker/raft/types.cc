#include "broker/raft/types.h"

namespace broker::raft {

const char* to_string(Role role) {
    switch (role) {
        case Role::Follower:
            return "follower";
        case Role::PreCandidate:
            return "pre-candidate";
        case Role::Candidate:
            return "candidate";
        case Role::Leader:
            return "leader";
    }
    return "unknown";
}

}  // namespace broker::raft
