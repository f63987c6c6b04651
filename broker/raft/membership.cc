#include "broker/raft/membership.h"

#include <algorithm>

#include "broker/raft/errc.h"

namespace broker::raft {
namespace {

constexpr uint8_t kVersion = 0;
// A group never has more members than this; a larger count is a corrupt payload.
constexpr uint32_t kMaxMembers = 1024;

bool contains_sorted(const std::vector<NodeId>& ids, NodeId id) {
    return std::binary_search(ids.begin(), ids.end(), id);
}

void normalize(std::vector<NodeId>& ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

void put_u32(Bytes& out, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        out.push_back(static_cast<uint8_t>(v >> shift));
    }
}

void put_ids(Bytes& out, const std::vector<NodeId>& ids) {
    put_u32(out, static_cast<uint32_t>(ids.size()));
    for (NodeId id : ids) {
        put_u32(out, static_cast<uint32_t>(id.value()));
    }
}

// Bounds-checked cursor over the payload.
struct Cursor {
    std::span<const uint8_t> data;
    size_t pos = 0;

    common::Result<uint32_t> u32() {
        if (data.size() - pos < 4) {
            return Errc::Malformed;
        }
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            v = (v << 8) | data[pos++];
        }
        return v;
    }

    common::Result<std::vector<NodeId>> ids() {
        TRIBUTARY_TRY(count, u32());
        if (count > kMaxMembers) {
            return Errc::Malformed;
        }
        std::vector<NodeId> out;
        out.reserve(count);
        for (uint32_t i = 0; i < count; ++i) {
            TRIBUTARY_TRY(v, u32());
            out.emplace_back(static_cast<int32_t>(v));
        }
        return out;
    }
};

}  // namespace

bool Membership::is_voter(NodeId id) const {
    return contains_sorted(voters, id);
}

bool Membership::is_learner(NodeId id) const {
    return contains_sorted(learners, id);
}

std::vector<NodeId> Membership::peers_of(NodeId self) const {
    std::vector<NodeId> out;
    for (const auto* list : {&voters, &learners}) {
        for (NodeId id : *list) {
            if (id != self) {
                out.push_back(id);
            }
        }
    }
    return out;
}

Membership Membership::of(std::vector<NodeId> voter_ids, std::vector<NodeId> learner_ids) {
    Membership m;
    m.voters = std::move(voter_ids);
    normalize(m.voters);
    for (NodeId id : learner_ids) {
        if (!contains_sorted(m.voters, id)) {
            m.learners.push_back(id);
        }
    }
    normalize(m.learners);
    return m;
}

Bytes Membership::encode() const {
    Bytes out;
    out.reserve(9 + 4 * (voters.size() + learners.size()));
    out.push_back(kVersion);
    put_ids(out, voters);
    put_ids(out, learners);
    return out;
}

common::Result<Membership> Membership::decode(std::span<const uint8_t> data) {
    if (data.empty() || data[0] != kVersion) {
        return Errc::Malformed;
    }
    Cursor cursor{data, 1};
    TRIBUTARY_TRY(voter_ids, cursor.ids());
    TRIBUTARY_TRY(learner_ids, cursor.ids());
    if (cursor.pos != data.size()) {
        return Errc::Malformed;
    }
    Membership m = of(voter_ids, learner_ids);
    if (m.voters.size() != voter_ids.size() || m.learners.size() != learner_ids.size()) {
        return Errc::Malformed;  // duplicates, or a node both voter and learner
    }
    return m;
}

}  // namespace broker::raft
