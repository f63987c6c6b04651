#include "broker/cluster/topic_forwarder.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "broker/cluster/errc.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

using Clock = std::chrono::steady_clock;

// A control call's outcome, shared between the awaiting coroutine and the host's callback (which
// may come after the coroutine stopped waiting).
struct CallState {
    explicit CallState(const common::asio::any_io_executor& executor)
        : signal(executor, Clock::time_point::max()) {}
    std::optional<common::Result<std::vector<uint8_t>>> answer;
    common::asio::steady_timer signal;
};

common::awaitable<void> sleep_until(Clock::time_point at) {
    common::asio::steady_timer timer(co_await common::asio::this_coro::executor, at);
    boost::system::error_code ec;
    co_await timer.async_wait(common::asio::redirect_error(common::use_awaitable, ec));
}

TopicCommandResult failure(Errc error, std::string message) {
    return TopicCommandResult{make_error_code(error), std::move(message), 0, std::nullopt};
}

}  // namespace

common::awaitable<ControllerResult> submit_and_wait(ControllerQuorum* quorum,
                                                    ControllerQuorum::Command command) {
    auto executor = co_await common::asio::this_coro::executor;
    common::asio::steady_timer signal(executor, Clock::time_point::max());
    auto result = std::make_shared<std::optional<ControllerResult>>();
    ControllerQuorum::Done done = [result, &signal](ControllerResult r) {
        *result = std::move(r);
        signal.cancel();
    };
    quorum->submit(std::move(command), std::move(done));
    if (!*result) {
        boost::system::error_code ec;
        co_await signal.async_wait(common::asio::redirect_error(common::use_awaitable, ec));
    }
    co_return std::move(**result);
}

common::awaitable<TopicCommandResult> TopicForwarder::execute(TopicCommand command,
                                                              std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + (timeout.count() > 0 ? timeout : options_.timeout);
    const auto body = encode_topic_command(command);
    bool unanswered = false;  // a controller was asked and did not answer
    auto backoff = options_.retry_backoff;
    std::string last_message = "This node is not the active controller.";
    for (int attempt = 0; attempt < options_.max_attempts && Clock::now() < deadline;) {
        const int32_t leader = quorum_.leader();
        if (leader == options_.node_id) {
            ++attempt;
            auto local = to_controller_command(command, broker_);
            auto result = co_await submit_and_wait(&quorum_, std::move(local));
            if (result.error != make_error_code(Errc::NotController)) {
                co_return to_topic_command_result(result, command, quorum_.cache());
            }
        } else if (leader >= 0) {
            ++attempt;
            auto answer = co_await try_remote(leader, body, deadline);
            if (!answer) {
                unanswered = true;
            } else if (answer->error != make_error_code(Errc::NotController)) {
                if (co_await wait_applied(answer->applied_index, deadline)) co_return *answer;
                co_return failure(Errc::RequestTimedOut,
                                  "The controller applied the change; this broker's metadata "
                                  "had not caught up before the request timed out.");
            } else {
                unanswered = false;
                last_message = answer->message;
            }
        }
        // No leader known, or it moved on: give the quorum time to elect one (longer each try).
        co_await sleep_until(std::min(deadline, Clock::now() + backoff));
        backoff = std::min(backoff * 2, options_.max_backoff);
    }
    if (unanswered) {
        co_return failure(Errc::RequestTimedOut,
                          "The active controller did not answer before the request timed out.");
    }
    co_return failure(Errc::NotController, last_message);
}

common::awaitable<std::optional<TopicCommandResult>> TopicForwarder::try_remote(
    int32_t leader, const std::vector<uint8_t>& body, Clock::time_point deadline) {
    auto log = common::log::get("controller");
    const auto now = Clock::now();
    if (now >= deadline) co_return std::nullopt;
    auto timeout = std::min(std::chrono::duration_cast<raft::Millis>(deadline - now),
                            std::chrono::duration_cast<raft::Millis>(options_.call_timeout));
    auto state = std::make_shared<CallState>(co_await common::asio::this_coro::executor);
    // The host answers within `timeout` (or never, once stopped): the signal waits a little
    // longer at most.
    state->signal.expires_at(Clock::now() + timeout + std::chrono::seconds(1));
    host_.call(raft::NodeId(leader), body, timeout,
               [state](common::Result<std::vector<uint8_t>> answer) {
                   state->answer = std::move(answer);
                   state->signal.cancel();
               });
    if (!state->answer) {
        boost::system::error_code ec;
        co_await state->signal.async_wait(common::asio::redirect_error(common::use_awaitable, ec));
    }
    if (!state->answer || !*state->answer) {
        log->debug("forwarded topic command to node {}: {}", leader,
                   state->answer ? state->answer->error().message() : "no answer");
        co_return std::nullopt;
    }
    auto decoded = decode_topic_command_result(state->answer->value());
    if (!decoded) {
        log->warn("node {} answered a topic command with a malformed result: {}", leader,
                  decoded.error().message());
        co_return std::nullopt;
    }
    co_return std::move(decoded.value());
}

common::awaitable<bool> TopicForwarder::wait_applied(int64_t index, Clock::time_point deadline) {
    constexpr auto kPoll = std::chrono::milliseconds(10);
    while (quorum_.cache().current()->last_applied() < index) {
        if (Clock::now() >= deadline) co_return false;
        co_await sleep_until(std::min(deadline, Clock::now() + kPoll));
    }
    co_return true;
}

}  // namespace broker::cluster
