#include "broker/net/tcp_server.h"

#include <future>

#include "common/errc.h"
#include "common/log.h"

namespace broker::net {

namespace asio = common::asio;
using asio::ip::tcp;

TcpServer::TcpServer(cluster::ShardSet& shards, FrameHandler& handler, Metrics& metrics,
                     ConnectionOptions options)
    : shards_(shards),
      handler_(handler),
      metrics_(metrics),
      options_(options),
      connections_(shards.size()) {}

TcpServer::~TcpServer() = default;

common::Result<uint16_t> TcpServer::listen(const std::string& host, uint16_t port) {
    auto log = common::log::get("net");
    boost::system::error_code ec;
    auto address = asio::ip::make_address(host, ec);
    if (ec) {
        // A host name: resolve it (loopback names such as localhost).
        tcp::resolver resolver(shards_.context(0));
        auto results = resolver.resolve(host, std::to_string(port), ec);
        if (ec || results.empty()) {
            log->error("cannot resolve listener host '{}': {}", host, ec.message());
            return common::Errc::InvalidArgument;
        }
        address = results.begin()->endpoint().address();
    }
    auto acceptor = std::make_unique<tcp::acceptor>(shards_.context(0));
    tcp::endpoint endpoint(address, port);
    acceptor->open(endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        log->error("cannot listen on {}:{}: {}", host, port, ec.message());
        return common::Errc::IoError;
    }
    uint16_t bound = acceptor->local_endpoint().port();
    acceptor_ = std::move(acceptor);
    return bound;
}

void TcpServer::start() {
    asio::co_spawn(shards_.context(0), accept_loop(this), asio::detached);
}

common::awaitable<void> TcpServer::accept_loop(TcpServer* self) {
    auto log = common::log::get("net");
    while (true) {
        cluster::ShardIndex shard = self->next_shard_;
        self->next_shard_ = (self->next_shard_ + 1) % self->shards_.size();
        boost::system::error_code ec;
        tcp::socket socket = co_await self->acceptor_->async_accept(
            self->shards_.context(shard), asio::redirect_error(common::use_awaitable, ec));
        if (ec == asio::error::operation_aborted || !self->acceptor_->is_open()) break;
        if (ec) {
            // Out of descriptors and the like: log, back off a moment, keep serving.
            log->warn("accept failed: {}", ec.message());
            asio::steady_timer pause(co_await asio::this_coro::executor);
            pause.expires_after(std::chrono::milliseconds(50));
            co_await pause.async_wait(asio::redirect_error(common::use_awaitable, ec));
            continue;
        }
        asio::post(self->shards_.context(shard),
                   [self, shard, s = std::make_shared<tcp::socket>(std::move(socket))]() mutable {
                       self->adopt(std::move(*s), shard);
                   });
    }
}

void TcpServer::adopt(tcp::socket socket, cluster::ShardIndex shard) {
    if (stopped_) return;
    boost::system::error_code ec;
    auto remote = socket.remote_endpoint(ec);
    if (ec) return;  // the peer already left
    ConnectionInfo info;
    info.peer = remote.address().to_string() + ":" + std::to_string(remote.port());
    info.id = next_id_.fetch_add(1);
    info.shard = shard;
    info.listener = options_.listener;
    auto& table = connections_[shard];
    auto connection =
        std::make_shared<Connection>(std::move(socket), handler_, metrics_, options_, info,
                                     [&table](uint64_t id) { table.erase(id); });
    table[info.id] = connection;
    connection->start();
}

void TcpServer::stop() {
    std::vector<std::future<void>> done;
    for (cluster::ShardIndex s = 0; s < shards_.size(); ++s) {
        auto promise = std::make_shared<std::promise<void>>();
        done.push_back(promise->get_future());
        asio::post(shards_.context(s), [this, s, promise] {
            if (s == 0 && acceptor_) {
                boost::system::error_code ignored;
                acceptor_->close(ignored);
            }
            stopped_ = true;
            auto table = connections_[s];  // close() erases from the table
            for (auto& [id, weak] : table) {
                if (auto c = weak.lock()) c->close();
            }
            promise->set_value();
        });
    }
    for (auto& f : done) f.wait();
}

}  // namespace broker::net
