#pragma once
// AdminServer: the broker's HTTP admin API on admin.listeners (cpp-httplib, its own thread):
//   GET /v1/health   {"broker_id":1,"cluster_id":"...","status":"ok"}
//   GET /v1/health/live   200 once the process serves HTTP (liveness probe)
//   GET /v1/health/ready  200 when ready, else 503 {"status":"not ready","reason":...}
//   GET /v1/broker/drain  move leadership away before a restart (preStop); 200 with what it did
//   GET /v1/brokers  [{"broker_id":1,"host":"127.0.0.1","port":9092,"rack":null}]
//   GET /v1/groups          {"groups":[...]}: every consumer group with its state and total lag
//   GET /v1/groups/{group}  members, assignments, committed offsets and lag; 404 when unknown
//   GET /v1/cluster  clustered mode: registered brokers (id, epoch, rack, fenced), the controller
//                    leader, partitions with leader/epoch/replicas/ISR (cluster_view.h); 404
//                    on a single node
//   GET /metrics     Prometheus text: requests and errors per API, bytes in/out, connections,
//                    topics and partitions, consumer groups and their lag (group_lag.h).
// httplib stays inside admin_server.cc.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "broker/config/broker_config.h"
#include "broker/net/metrics.h"
#include "common/result.h"

namespace httplib {
class Server;
}

namespace broker::admin {

struct GroupLag;  // group_lag.h

// What the admin API reports; every callback must be safe to call from the admin thread.
struct AdminSources {
    const config::BrokerConfig* config = nullptr;
    const net::Metrics* metrics = nullptr;
    std::function<int64_t()> topic_count;
    std::function<int64_t()> partition_count;
    std::function<std::string()> cluster_id;  // the one clients see (cluster::served_cluster_id)
    // Why the broker is not ready yet ("" once every Kafka listener is bound and startup loading
    // is done); unset means always ready.
    std::function<std::string()> not_ready_reason{};
};

// Owned by app::Broker. listen()/start()/stop() from the app's control thread; requests are
// served on the server's own thread.
class AdminServer {
  public:
    explicit AdminServer(AdminSources sources);
    ~AdminServer();

    // Binds host:port (0 = any free port) and returns the bound port.
    common::Result<uint16_t> listen(const std::string& host, uint16_t port);
    void start();
    void stop();

    // The response bodies, exposed for tests.
    std::string health_json() const;
    // Readiness: (HTTP status, JSON body).
    std::pair<int, std::string> ready() const;
    std::string drain_json() const;
    std::string brokers_json() const;
    std::string metrics_text() const;

    // Consumer groups (GET /v1/groups, GET /v1/groups/{group}, kafka_consumergroup_* in
    // /metrics): `source` gathers every group with its lag (hopping onto the shards); it runs on
    // the admin thread. Set before start(); without it there are no groups.
    void set_group_source(std::function<std::vector<GroupLag>()> source);
    std::vector<GroupLag> groups() const;
    // GET /v1/groups/{group}: 200 with the group, or 404 with a JSON error.
    std::pair<int, std::string> group_response(const std::string& group_id) const;

    // Clustered mode: GET /v1/cluster's body (built on the admin thread). May be set at any time;
    // unset (single node) the endpoint answers 404.
    void set_cluster_source(std::function<std::string()> source);
    std::pair<int, std::string> cluster_response() const;

  private:
    AdminSources sources_;
    mutable std::mutex cluster_mu_;  // guards cluster_source_
    std::function<std::string()> cluster_source_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
    std::function<std::vector<GroupLag>()> group_source_;
};

}  // namespace broker::admin
