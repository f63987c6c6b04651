#include "broker/cluster/cluster_view.h"

#include <nlohmann/json.hpp>

namespace broker::cluster {
namespace {

std::string hex(const Uuid& id) {
    static const char* kDigits = "0123456789abcdef";
    std::string out;
    for (uint8_t b : id) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xf]);
    }
    return out;
}

nlohmann::json broker_json(const BrokerRegistration& b) {
    nlohmann::json endpoints = nlohmann::json::array();
    for (const auto& e : b.endpoints) {
        endpoints.push_back({{"name", e.name}, {"host", e.host}, {"port", e.port}});
    }
    return {{"id", b.id},
            {"epoch", b.epoch},
            {"rack", b.rack ? nlohmann::json(*b.rack) : nlohmann::json(nullptr)},
            {"fenced", b.fenced},
            {"endpoints", std::move(endpoints)}};
}

nlohmann::json topic_json(const TopicMetadata& t) {
    nlohmann::json partitions = nlohmann::json::array();
    for (size_t i = 0; i < t.partitions.size(); ++i) {
        const auto& p = t.partitions[i];
        partitions.push_back({{"partition", i},
                              {"leader", p.leader},
                              {"leader_epoch", p.leader_epoch},
                              {"replicas", p.replicas},
                              {"isr", p.isr}});
    }
    return {{"name", t.name}, {"topic_id", hex(t.id)}, {"partitions", std::move(partitions)}};
}

}  // namespace

std::string cluster_view_json(const MetadataState& state, int32_t controller_id) {
    nlohmann::json brokers = nlohmann::json::array();
    for (const auto& [id, b] : state.brokers()) brokers.push_back(broker_json(b));
    nlohmann::json topics = nlohmann::json::array();
    for (const auto& [id, t] : state.topics()) topics.push_back(topic_json(t));
    nlohmann::json cluster_id =
        state.cluster_id().empty() ? nlohmann::json(nullptr) : nlohmann::json(state.cluster_id());
    nlohmann::json out = {{"cluster_id", std::move(cluster_id)},
                          {"controller_id", controller_id},
                          {"brokers", brokers},
                          {"topics", topics}};
    return out.dump();
}

}  // namespace broker::cluster
