#include "broker/cluster/broker_liveness.h"

namespace broker::cluster {

void BrokerLiveness::heartbeat(int32_t id, int64_t epoch, Clock::time_point now) {
    auto it = seen_.find(id);
    if (it != seen_.end() && it->second.epoch > epoch) return;  // an older incarnation
    seen_[id] = Seen{epoch, now};
}

void BrokerLiveness::reset(const MetadataState& state, Clock::time_point now) {
    seen_.clear();
    for (const auto& [id, b] : state.brokers()) seen_[id] = Seen{b.epoch, now};
}

bool BrokerLiveness::alive(int32_t id, int64_t epoch, Clock::time_point now) const {
    auto it = seen_.find(id);
    return it != seen_.end() && it->second.epoch == epoch &&
           now - it->second.at <= session_timeout_;
}

std::vector<BrokerLiveness::Due> BrokerLiveness::to_fence(const MetadataState& state,
                                                          Clock::time_point now) const {
    std::vector<Due> out;
    for (const auto& [id, b] : state.brokers()) {
        if (!b.fenced && !alive(id, b.epoch, now)) out.push_back({id, b.epoch});
    }
    return out;
}

std::vector<BrokerLiveness::Due> BrokerLiveness::to_unfence(const MetadataState& state,
                                                            Clock::time_point now) const {
    std::vector<Due> out;
    for (const auto& [id, b] : state.brokers()) {
        if (b.fenced && alive(id, b.epoch, now)) out.push_back({id, b.epoch});
    }
    return out;
}

}  // namespace broker::cluster
