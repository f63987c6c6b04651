#include "broker/cluster/placement.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "broker/cluster/errc.h"

namespace broker::cluster {
namespace {

// The running counts the greedy choice balances. Owned by one place_replicas call.
class Balancer {
  public:
    explicit Balancer(const PlacementInput& input) : cluster_load_(input.cluster_load) {
        for (const auto& b : input.brokers) rack_of_[b.id] = b.rack.value_or(kNoRack);
        for (const auto& [id, rack] : rack_of_) racks_.insert(rack);
        for (const auto& a : input.existing) record(a);
    }

    size_t rack_count() const { return racks_.size(); }

    void record(const Assignment& a) {
        for (size_t i = 0; i < a.size(); ++i) {
            if (!rack_of_.contains(a[i])) continue;  // a replica on a broker that is gone
            ++replicas_[a[i]];
            ++rack_replicas_[rack_of_[a[i]]];
            if (i == 0) {
                ++leaders_[a[0]];
                ++rack_leaders_[rack_of_[a[0]]];
            }
        }
    }

    // The next leader: fewest leaders, then fewest replicas, then its rack's fewest leaders.
    int32_t pick_leader() const {
        return best(
            [this](int32_t id) {
                const auto& rack = rack_of_.at(id);
                return std::make_tuple(get(leaders_, id), get(replicas_, id),
                                       get(rack_leaders_, rack), get(rack_replicas_, rack),
                                       get(cluster_load_, id), id);
            },
            {}, {}, false);
    }

    // The least loaded broker not in `chosen`; from a rack not in `used_racks` when `new_rack`.
    // Among equally loaded brokers the one with more leaders wins: brokers that lead less keep
    // room to lead next without running ahead on replicas.
    int32_t pick_follower(const Assignment& chosen, const std::set<std::string>& used_racks,
                          bool new_rack) const {
        return best(
            [this](int32_t id) {
                const auto& rack = rack_of_.at(id);
                return std::make_tuple(get(replicas_, id), -get(leaders_, id),
                                       get(rack_replicas_, rack), int64_t{0},
                                       get(cluster_load_, id), id);
            },
            chosen, used_racks, new_rack);
    }

    const std::string& rack(int32_t id) const { return rack_of_.at(id); }

  private:
    static constexpr const char* kNoRack = "\x01no-rack";  // cannot clash with a real rack name

    template <class K>
    static int64_t get(const std::map<K, int64_t>& m, const K& k) {
        auto it = m.find(k);
        return it == m.end() ? 0 : it->second;
    }

    template <class Key>
    int32_t best(Key key, const Assignment& chosen, const std::set<std::string>& used_racks,
                 bool new_rack) const {
        int32_t winner = -1;
        for (const auto& [id, rack] : rack_of_) {
            if (std::find(chosen.begin(), chosen.end(), id) != chosen.end()) continue;
            if (new_rack && used_racks.contains(rack)) continue;
            if (winner < 0 || key(id) < key(winner)) winner = id;
        }
        return winner;
    }

    std::map<int32_t, std::string> rack_of_;
    std::set<std::string> racks_;
    std::map<int32_t, int64_t> replicas_, leaders_;
    std::map<std::string, int64_t> rack_replicas_, rack_leaders_;
    std::map<int32_t, int64_t> cluster_load_;
};

}  // namespace

common::Result<std::vector<Assignment>> place_replicas(const PlacementInput& input,
                                                       std::string* error) {
    std::set<int32_t> ids;
    for (const auto& b : input.brokers) ids.insert(b.id);
    if (input.replication_factor < 1) {
        if (error) *error = "Replication factor must be larger than 0.";
        return Errc::InvalidReplicationFactor;
    }
    if (static_cast<size_t>(input.replication_factor) > ids.size()) {
        if (error) {
            *error = "Unable to replicate the partition " +
                     std::to_string(input.replication_factor) +
                     " time(s): The target replication factor of " +
                     std::to_string(input.replication_factor) + " cannot be reached because only " +
                     std::to_string(ids.size()) + " broker(s) are registered.";
        }
        return Errc::InvalidReplicationFactor;
    }
    if (input.partitions < 0) {
        if (error) *error = "Number of partitions must be larger than 0.";
        return Errc::InvalidPartitions;
    }
    Balancer balancer(input);
    size_t rf = static_cast<size_t>(input.replication_factor);
    size_t target_racks = std::min(rf, balancer.rack_count());
    std::vector<Assignment> out;
    for (int32_t p = 0; p < input.partitions; ++p) {
        Assignment a{balancer.pick_leader()};
        std::set<std::string> used{balancer.rack(a[0])};
        while (a.size() < rf) {
            int32_t next = balancer.pick_follower(a, used, used.size() < target_racks);
            a.push_back(next);
            used.insert(balancer.rack(next));
        }
        balancer.record(a);
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace broker::cluster
