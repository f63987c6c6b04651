#include "broker/server/groups/group_types.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace broker::server::groups {
namespace {

constexpr std::array<std::pair<GroupState, std::string_view>, 5> kNames{{
    {GroupState::Empty, "Empty"},
    {GroupState::PreparingRebalance, "PreparingRebalance"},
    {GroupState::CompletingRebalance, "CompletingRebalance"},
    {GroupState::Stable, "Stable"},
    {GroupState::Dead, "Dead"},
}};

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::string_view state_name(GroupState state) {
    for (const auto& [s, name] : kNames) {
        if (s == state) return name;
    }
    return "Dead";
}

std::optional<GroupState> parse_state(std::string_view name) {
    for (const auto& [s, n] : kNames) {
        if (iequals(n, name)) return s;
    }
    return std::nullopt;
}

const Bytes* Member::metadata_for(std::string_view protocol) const {
    for (const auto& p : protocols) {
        if (p.name == protocol) return &p.metadata;
    }
    return nullptr;
}

}  // namespace broker::server::groups
