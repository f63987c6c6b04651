#pragma once
// Polls a condition until it holds or a generous liveness deadline passes (not a speed check).

#include <chrono>
#include <functional>
#include <thread>

namespace kop::testing {

inline bool eventually(const std::function<bool()>& cond,
                       std::chrono::seconds deadline = std::chrono::seconds(60)) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < until) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return cond();
}

}  // namespace kop::testing
