#include "tests/broker/raft/sim/sim_network.h"

namespace broker::raft::sim {

bool SimNetwork::connected(NodeId a, NodeId b) const {
    auto side = [&](NodeId n) {
        auto it = side_of_.find(n);
        return it == side_of_.end() ? 0 : it->second;
    };
    return side(a) == side(b) && blocked_.count({a, b}) == 0;
}

Millis SimNetwork::random_delay() {
    auto span = (faults_.delay_max - faults_.delay_min).count();
    if (std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < faults_.long_delay) {
        auto held = std::uniform_int_distribution<int64_t>(0, faults_.long_delay_max.count());
        return faults_.delay_max + Millis(held(rng_));
    }
    if (span <= 0) {
        return faults_.delay_min;
    }
    return faults_.delay_min + Millis(std::uniform_int_distribution<int64_t>(0, span)(rng_));
}

void SimNetwork::send(Message msg, Millis now) {
    ++sent_;
    std::uniform_real_distribution<double> coin(0.0, 1.0);
    if (coin(rng_) < faults_.loss) {
        return;
    }
    if (coin(rng_) < faults_.duplicate) {
        queue_.push(InFlight{now + random_delay(), next_seq_++, msg});
    }
    queue_.push(InFlight{now + random_delay(), next_seq_++, std::move(msg)});
}

bool SimNetwork::pop_due(Millis now, Message& out) {
    while (!queue_.empty() && queue_.top().at <= now) {
        InFlight top = queue_.top();
        queue_.pop();
        const MessageHeader& h = header_of(top.msg);
        if (!connected(h.from, h.to)) {
            continue;  // partitioned at delivery time
        }
        ++delivered_;
        out = std::move(top.msg);
        return true;
    }
    return false;
}

}  // namespace broker::raft::sim
