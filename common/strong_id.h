#pragma once
// StrongId<Tag, Rep>: a distinct integer type per domain id (NodeId, PartitionId, Offset, ...),
// so that an offset can never be passed where a node id is expected.

#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>

namespace common {

template <class Tag, class Rep>
class StrongId {
  public:
    using rep = Rep;
    constexpr StrongId() = default;
    constexpr explicit StrongId(Rep v) : value_(v) {}
    constexpr Rep value() const { return value_; }
    constexpr auto operator<=>(const StrongId&) const = default;
    friend std::ostream& operator<<(std::ostream& os, const StrongId& id) {
        return os << id.value_;
    }

  private:
    Rep value_{};
};

using NodeId = StrongId<struct NodeIdTag, int32_t>;
using PartitionId = StrongId<struct PartitionIdTag, int32_t>;
using Offset = StrongId<struct OffsetTag, int64_t>;
using Term = StrongId<struct TermTag, int64_t>;
using ProducerId = StrongId<struct ProducerIdTag, int64_t>;

}  // namespace common

template <class Tag, class Rep>
struct std::hash<common::StrongId<Tag, Rep>> {
    size_t operator()(const common::StrongId<Tag, Rep>& id) const noexcept {
        return std::hash<Rep>{}(id.value());
    }
};
