#pragma once
// RequestContext: what a protocol handler knows about the request it serves and the services it
// may use. Built by the dispatcher for one request on the connection's shard; lives until the
// handler's coroutine completes. Handlers never see bytes or sockets.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "broker/cluster/shard.h"
#include "broker/cluster/sharded.h"

namespace broker::config {
struct BrokerConfig;
}
namespace broker::cluster {
class MetadataCache;
class ShardSet;
class Topics;
}  // namespace broker::cluster
namespace broker::partition {
class PartitionManager;
}
namespace broker::server::groups {
class GroupCoordinator;
}

namespace broker::server {

// Broker-wide services, owned by app::Broker and outliving every request. `partitions` may be
// null in handler unit tests that do not touch partitions.
struct Services {
    const config::BrokerConfig* config = nullptr;
    cluster::ShardSet* shards = nullptr;
    cluster::Topics* topics = nullptr;
    cluster::Sharded<partition::PartitionManager>* partitions = nullptr;
    std::string cluster_id{};  // from meta.properties; clustered: until the quorum's is known
    cluster::Sharded<groups::GroupCoordinator>* groups = nullptr;  // null where unused
    // Clustered mode (controller.quorum.voters set): the quorum's metadata cache, readable from
    // any shard; null on a single node.
    cluster::MetadataCache* metadata = nullptr;
    // Clustered mode: the controller quorum leader's node id (-1 when there is none); safe to call
    // from any shard. Empty on a single node.
    std::function<int32_t()> controller_id{};
};

class RequestContext {
  public:
    RequestContext(const Services& services, int16_t api_version, int32_t correlation_id,
                   std::optional<std::string> client_id, std::string peer,
                   cluster::ShardIndex shard, std::string listener = {})
        : services_(services),
          api_version_(api_version),
          correlation_id_(correlation_id),
          client_id_(std::move(client_id)),
          peer_(std::move(peer)),
          shard_(shard),
          listener_(std::move(listener)) {}

    int16_t api_version() const { return api_version_; }
    int32_t correlation_id() const { return correlation_id_; }
    const std::optional<std::string>& client_id() const { return client_id_; }
    // "ip:port" of the client.
    const std::string& peer() const { return peer_; }
    // The shard this connection (and this handler's coroutine) runs on.
    cluster::ShardIndex shard() const { return shard_; }
    // The name of the listener the request arrived on ("" in tests that do not say).
    const std::string& listener() const { return listener_; }
    // Clustered mode: the controller quorum's cluster id once committed; else (and before)
    // meta.properties' (services.cluster_id).
    std::string cluster_id() const;

    const config::BrokerConfig& config() const { return *services_.config; }
    cluster::ShardSet& shards() const { return *services_.shards; }
    cluster::Topics& topics() const { return *services_.topics; }
    // Clustered mode: metadata (brokers, topics, leaders) comes from the controller quorum.
    bool clustered() const { return services_.metadata != nullptr; }
    // Only when clustered().
    cluster::MetadataCache& metadata() const { return *services_.metadata; }
    // The controller quorum leader's node id, -1 when there is none or not clustered().
    int32_t controller_id() const {
        return services_.controller_id ? services_.controller_id() : -1;
    }
    // Per-shard partition managers: partitions().on(s) may only be touched on shard s
    // (use shards().invoke_on(s, ...)).
    cluster::Sharded<partition::PartitionManager>& partitions() const {
        return *services_.partitions;
    }
    // Per-shard group coordinators: groups().on(s) may only be touched on shard s, except for
    // its pure partition_for().
    cluster::Sharded<groups::GroupCoordinator>& groups() const { return *services_.groups; }
    // The shard that owns (topic, partition).
    cluster::ShardIndex shard_of(std::string_view topic, int32_t partition) const;

    // A handler calls this when the request must get no response at all (Produce with acks=0);
    // the dispatcher then writes nothing for this request.
    void suppress_response() { suppress_response_ = true; }
    bool response_suppressed() const { return suppress_response_; }

  private:
    const Services& services_;
    int16_t api_version_;
    int32_t correlation_id_;
    std::optional<std::string> client_id_;
    std::string peer_;
    cluster::ShardIndex shard_;
    std::string listener_;
    bool suppress_response_ = false;
};

}  // namespace broker::server
