#pragma once
// Signal: a one-shot wake-up for one coroutine, optionally with a deadline. Built on an Asio
// steady_timer that is cancelled to wake the waiter (no busy polling). Lives on one executor
// (shard); set() and wait() must run there. Waking before waiting is remembered.

#include <chrono>

#include "common/asio.h"

namespace broker::partition {

class Signal {
  public:
    using Clock = std::chrono::steady_clock;

    explicit Signal(const common::asio::any_io_executor& ex)
        : timer_(ex, Clock::time_point::max()) {}

    // Wakes the waiter (now or when it starts waiting).
    void set() {
        set_ = true;
        timer_.cancel();
    }
    bool is_set() const { return set_; }

    // Returns once set() was called or `deadline` passed (whichever comes first).
    common::awaitable<void> wait(Clock::time_point deadline = Clock::time_point::max()) {
        if (set_) co_return;
        timer_.expires_at(deadline);
        boost::system::error_code ec;
        co_await timer_.async_wait(common::asio::redirect_error(common::use_awaitable, ec));
    }

  private:
    common::asio::steady_timer timer_;
    bool set_ = false;
};

}  // namespace broker::partition
