#pragma once
// MetadataCache: the read-only view of cluster metadata every broker keeps. It follows the
// controller log (apply_entry / restore, called by the one thread that applies committed
// entries) and publishes each new state as an immutable image that any thread reads without
// locks held while it reads. Publishing copies the state once per applied entry: metadata
// changes are rare next to reads.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "broker/cluster/metadata_state.h"
#include "broker/cluster/topic_info.h"

namespace broker::cluster {

// Where a client reaches a broker on one listener.
struct BrokerAddress {
    int32_t id = 0;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;
    bool operator==(const BrokerAddress&) const = default;
};

// Owned by app::Broker. apply_entry/restore/on_update from the applying thread only; current()
// and the queries from any thread.
class MetadataCache {
  public:
    using Listener = std::function<void(const MetadataState&)>;

    MetadataCache();

    std::shared_ptr<const MetadataState> current() const;

    // Applies a committed entry and publishes the result. Returns the records rejected.
    size_t apply_entry(int64_t index, std::span<const uint8_t> payload);
    // Replaces the whole state by a snapshot (a broker catching up from the controller's).
    [[nodiscard]] common::Result<void> restore(std::span<const uint8_t> snapshot);
    // Called after every publish with the new state (e.g. to open or close local partitions).
    void on_update(Listener listener);

    // Unfenced brokers with an endpoint on `listener`, by id: what Metadata advertises.
    std::vector<BrokerAddress> live_brokers(std::string_view listener) const;
    // The topics in the form the Topics interface serves (TopicSnapshot).
    std::shared_ptr<const TopicSnapshot> topic_snapshot() const;

  private:
    void publish(std::shared_ptr<const MetadataState> next);

    mutable std::mutex mu_;  // guards current_ and topics_ (the pointers, not the images)
    std::shared_ptr<const MetadataState> current_;
    std::shared_ptr<const TopicSnapshot> topics_;
    std::vector<Listener> listeners_;
};

// Unfenced brokers of `state` with an endpoint on `listener`, by id.
std::vector<BrokerAddress> live_brokers(const MetadataState& state, std::string_view listener);

// The cluster id a broker shows clients and the admin API: clustered (`cache` set), the
// controller quorum's once committed; before that, and on a single node, `local`
// (meta.properties').
std::string served_cluster_id(const MetadataCache* cache, const std::string& local);

// The TopicSnapshot view of a metadata state (name, id, partition count, replication factor,
// config overrides of every topic).
std::shared_ptr<const TopicSnapshot> to_topic_snapshot(const MetadataState& state);

}  // namespace broker::cluster
