#pragma once
// BrokerLiveness: the active controller's view of which registered brokers are alive. Brokers
// heartbeat (with their epoch) while they run; one whose last heartbeat is older than the
// session timeout is due to be fenced, and a fenced broker that heartbeats again (and has caught
// up) is due to be unfenced. Pure: the caller passes the time and turns the answers into
// Controller::fence_broker / unfence_broker commands.

#include <chrono>
#include <cstdint>
#include <map>
#include <vector>

#include "broker/cluster/metadata_state.h"

namespace broker::cluster {

// Owned by the controller leader; reset when leadership changes (a new leader gives every broker
// a full session before fencing it). Single-threaded (the quorum's shard).
class BrokerLiveness {
  public:
    using Clock = std::chrono::steady_clock;

    explicit BrokerLiveness(std::chrono::milliseconds session_timeout)
        : session_timeout_(session_timeout) {}

    // A heartbeat from broker `id` at registration `epoch`; stale epochs are ignored.
    void heartbeat(int32_t id, int64_t epoch, Clock::time_point now);
    // Starts every registered broker's session at `now` (a new leader's grace period).
    void reset(const MetadataState& state, Clock::time_point now);

    struct Due {
        int32_t id = 0;
        int64_t epoch = 0;
        bool operator==(const Due&) const = default;
    };
    // Unfenced brokers whose session expired: fence them.
    std::vector<Due> to_fence(const MetadataState& state, Clock::time_point now) const;
    // Fenced brokers heartbeating within their session: unfence them.
    std::vector<Due> to_unfence(const MetadataState& state, Clock::time_point now) const;

  private:
    struct Seen {
        int64_t epoch = 0;
        Clock::time_point at;
    };
    bool alive(int32_t id, int64_t epoch, Clock::time_point now) const;

    std::chrono::milliseconds session_timeout_;
    std::map<int32_t, Seen> seen_;
};

}  // namespace broker::cluster
