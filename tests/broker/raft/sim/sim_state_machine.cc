#include "tests/broker/raft/sim/sim_state_machine.h"

#include <string>

#include "broker/raft/errc.h"

namespace broker::raft::sim {
namespace {

void put64(Bytes& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
}

uint64_t get64(const Bytes& in, size_t at) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) {
        v |= static_cast<uint64_t>(in[at + static_cast<size_t>(i)]) << (8 * i);
    }
    return v;
}

}  // namespace

void SimStateMachine::apply(const Entry& entry) {
    if (entry.index != applied_ + 1) {
        checker_.report("node " + std::to_string(id_.value()) + " applied index " +
                        std::to_string(entry.index) + " after " + std::to_string(applied_));
    }
    digest_ = chain_digest(digest_, entry_hash(entry));
    applied_ = entry.index;
    checker_.on_apply(id_, entry, digest_);
}

common::Result<Bytes> SimStateMachine::take_snapshot() {
    Bytes out;
    put64(out, static_cast<uint64_t>(applied_));
    put64(out, digest_);
    return out;
}

common::Result<void> SimStateMachine::restore_snapshot(const SnapshotMeta& meta,
                                                       const Bytes& data) {
    if (data.size() != 16 || static_cast<Index>(get64(data, 0)) != meta.index) {
        return Errc::Malformed;
    }
    applied_ = meta.index;
    digest_ = get64(data, 8);
    checker_.on_restore(id_, meta, digest_);
    return common::ok();
}

}  // namespace broker::raft::sim
