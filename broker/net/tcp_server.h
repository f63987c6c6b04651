#pragma once
// TcpServer: one listener. A single acceptor on shard 0 hands each accepted socket to the next
// shard round-robin, where its Connection lives until it closes. Include only from net/ and app/.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "broker/cluster/shard_set.h"
#include "broker/net/connection.h"
#include "common/result.h"

namespace broker::net {

// Owned by app::Broker; must outlive its shards' work. listen()/start()/stop() are called from
// the app's control thread (not a shard thread); each per-shard connection table is touched only
// on its shard.
class TcpServer {
  public:
    TcpServer(cluster::ShardSet& shards, FrameHandler& handler, Metrics& metrics,
              ConnectionOptions options);
    ~TcpServer();

    // Binds and listens on host:port (port 0 picks a free port). Returns the bound port.
    common::Result<uint16_t> listen(const std::string& host, uint16_t port);
    // Starts accepting on shard 0.
    void start();
    // Stops accepting and closes every connection; blocks until every shard has done so.
    void stop();

  private:
    static common::awaitable<void> accept_loop(TcpServer* self);
    void adopt(common::asio::ip::tcp::socket socket, cluster::ShardIndex shard);

    cluster::ShardSet& shards_;
    FrameHandler& handler_;
    Metrics& metrics_;
    ConnectionOptions options_;
    std::unique_ptr<common::asio::ip::tcp::acceptor> acceptor_;
    cluster::ShardIndex next_shard_ = 0;
    std::atomic<uint64_t> next_id_{1};
    std::vector<std::unordered_map<uint64_t, std::weak_ptr<Connection>>> connections_;
    std::atomic<bool> stopped_{false};
};

}  // namespace broker::net
