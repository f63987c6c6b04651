#pragma once
// The one header that includes Boost.Asio with C++20 coroutine support.
// Boost 1.74's asio/awaitable.hpp misses #include <utility> under g++ 12, so it comes first here.
// Include this (only in .cc files and narrow headers) instead of <boost/asio.hpp>.

#include <utility>

#include <boost/asio.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace common {
namespace asio = boost::asio;
template <class T = void>
using awaitable = boost::asio::awaitable<T>;
using boost::asio::use_awaitable;
}  // namespace common
