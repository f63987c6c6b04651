#include "broker/cluster/metadata_cache.h"

namespace broker::cluster {

std::shared_ptr<const TopicSnapshot> to_topic_snapshot(const MetadataState& state) {
    std::map<std::string, TopicInfo, std::less<>> topics;
    for (const auto& [id, t] : state.topics()) {
        auto rf = t.partitions.empty() ? 1 : t.partitions.front().replicas.size();
        topics[t.name] = TopicInfo{t.name, id, static_cast<int32_t>(t.partitions.size()),
                                   static_cast<int16_t>(rf), t.configs};
    }
    return std::make_shared<const TopicSnapshot>(std::move(topics));
}

MetadataCache::MetadataCache()
    : current_(std::make_shared<const MetadataState>()),
      topics_(std::make_shared<const TopicSnapshot>()) {}

std::shared_ptr<const MetadataState> MetadataCache::current() const {
    std::lock_guard lock(mu_);
    return current_;
}

std::shared_ptr<const TopicSnapshot> MetadataCache::topic_snapshot() const {
    std::lock_guard lock(mu_);
    return topics_;
}

size_t MetadataCache::apply_entry(int64_t index, std::span<const uint8_t> payload) {
    auto next = std::make_shared<MetadataState>(*current());
    size_t rejected = next->apply_entry(index, payload);
    publish(std::move(next));
    return rejected;
}

common::Result<void> MetadataCache::restore(std::span<const uint8_t> snapshot) {
    auto next = std::make_shared<MetadataState>();
    TRIBUTARY_TRY(next->restore(snapshot));
    publish(std::move(next));
    return common::ok();
}

void MetadataCache::on_update(Listener listener) {
    listeners_.push_back(std::move(listener));
}

void MetadataCache::publish(std::shared_ptr<const MetadataState> next) {
    auto topics = to_topic_snapshot(*next);
    {
        std::lock_guard lock(mu_);
        current_ = next;
        topics_ = std::move(topics);
    }
    for (const auto& listener : listeners_) listener(*next);
}

std::vector<BrokerAddress> live_brokers(const MetadataState& state, std::string_view listener) {
    std::vector<BrokerAddress> out;
    for (const auto& [id, b] : state.brokers()) {
        const auto* e = b.endpoint(listener);
        if (b.fenced || e == nullptr) continue;
        out.push_back({id, e->host, e->port, b.rack});
    }
    return out;
}

std::string served_cluster_id(const MetadataCache* cache, const std::string& local) {
    if (cache == nullptr) return local;
    const auto state = cache->current();
    return state->cluster_id().empty() ? local : state->cluster_id();
}

std::vector<BrokerAddress> MetadataCache::live_brokers(std::string_view listener) const {
    return cluster::live_brokers(*current(), listener);
}

}  // namespace broker::cluster
