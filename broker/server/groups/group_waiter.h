#pragma once
// Internal to the coordinator's .cc files: a held JoinGroup or SyncGroup, and the error replies.
// The reply lands in `join`/`sync` and the timer is cancelled to wake the request's coroutine.
// Shared between that coroutine and the coordinator's waiter maps; used only on its shard.

#include <optional>
#include <string>

#include "broker/server/groups/group_coordinator.h"
#include "common/asio.h"

namespace broker::server::groups {

struct GroupCoordinator::Waiter {
    explicit Waiter(const common::asio::any_io_executor& executor) : timer(executor) {
        timer.expires_at(common::asio::steady_timer::time_point::max());
    }
    common::asio::steady_timer timer;
    std::optional<JoinReply> join;
    std::optional<SyncReply> sync;
};

inline JoinReply join_error(ErrorCode error, std::string member_id) {
    JoinReply r;
    r.error = error;
    r.member_id = std::move(member_id);
    return r;
}

inline SyncReply sync_error(ErrorCode error) {
    SyncReply r;
    r.error = error;
    return r;
}

}  // namespace broker::server::groups
