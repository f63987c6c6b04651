#include "broker/server/handlers/list_groups.h"

#include <algorithm>
#include <cctype>

#include "broker/cluster/shard_set.h"
#include "broker/server/groups/group_coordinator.h"
#include "broker/server/handlers/group_routing.h"

namespace broker::server::handlers {
namespace {

// Every group here speaks the classic protocol.
constexpr std::string_view kClassic = "classic";

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool wanted(const groups::ListedGroup& g, const ListGroupsHandler::Request& request) {
    const auto& states = request.states_filter;
    const bool state_ok =
        states.empty() || std::any_of(states.begin(), states.end(), [&](const std::string& s) {
            return groups::parse_state(s) == g.state;
        });
    const auto& types = request.types_filter;
    const bool type_ok =
        types.empty() || std::any_of(types.begin(), types.end(),
                                     [](const std::string& t) { return iequals(t, kClassic); });
    return state_ok && type_ok;
}

}  // namespace

awaitable<ListGroupsHandler::Response> ListGroupsHandler::handle(RequestContext& ctx,
                                                                 Request request) {
    Response response;
    for (cluster::ShardIndex s = 0; s < ctx.shards().size(); ++s) {
        groups::ListResult listed = co_await ctx.shards().invoke_on(
            s, &groups::GroupCoordinator::list, coordinator_on(ctx, s));
        if (listed.error != groups::ErrorCode::None) {
            response.error_code = static_cast<int16_t>(listed.error);
        }
        for (const auto& g : listed.groups) {
            if (!wanted(g, request)) continue;
            response.groups.push_back({g.group_id, g.protocol_type,
                                       std::string(groups::state_name(g.state)),
                                       std::string(kClassic)});
        }
    }
    co_return response;
}

}  // namespace broker::server::handlers
