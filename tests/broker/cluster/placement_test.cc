#include "broker/cluster/placement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "broker/cluster/errc.h"

namespace broker::cluster {
namespace {

std::vector<PlacementBroker> brokers(const std::vector<std::pair<int32_t, const char*>>& spec) {
    std::vector<PlacementBroker> out;
    for (const auto& [id, rack] : spec) {
        out.push_back({id, rack ? std::optional<std::string>(rack) : std::nullopt});
    }
    return out;
}

std::vector<Assignment> place(const PlacementInput& input) {
    std::string error;
    auto placed = place_replicas(input, &error);
    EXPECT_TRUE(placed) << error;
    return placed ? placed.value() : std::vector<Assignment>{};
}

std::string rack_of(const std::vector<PlacementBroker>& bs, int32_t id) {
    for (const auto& b : bs) {
        if (b.id == id) return b.rack.value_or("<none>");
    }
    return "<unknown>";
}

std::map<int32_t, int> count(const std::vector<Assignment>& as, bool leaders_only) {
    std::map<int32_t, int> out;
    for (const auto& a : as) {
        for (size_t i = 0; i < (leaders_only ? 1 : a.size()); ++i) ++out[a[i]];
    }
    return out;
}

// max - min over every broker in `bs` (brokers with nothing count as 0).
int spread(const std::map<int32_t, int>& counts, const std::vector<PlacementBroker>& bs) {
    int lo = INT32_MAX, hi = 0;
    for (const auto& b : bs) {
        int c = counts.contains(b.id) ? counts.at(b.id) : 0;
        lo = std::min(lo, c);
        hi = std::max(hi, c);
    }
    return hi - lo;
}

TEST(PlacementTest, SixBrokersInThreeRacksGetOneReplicaPerRackAndEvenLeaders) {
    auto bs = brokers({{1, "a"}, {2, "a"}, {3, "b"}, {4, "b"}, {5, "c"}, {6, "c"}});
    for (int32_t partitions : {6, 12, 60}) {
        auto placed = place({bs, partitions, 3, {}, {}});
        ASSERT_EQ(placed.size(), static_cast<size_t>(partitions));
        std::map<std::string, int> rack_leaders;
        for (const auto& a : placed) {
            std::set<std::string> racks;
            for (int32_t id : a) racks.insert(rack_of(bs, id));
            EXPECT_EQ(racks, (std::set<std::string>{"a", "b", "c"}));
            ++rack_leaders[rack_of(bs, a[0])];
        }
        auto leaders = count(placed, true);
        auto replicas = count(placed, false);
        for (const auto& b : bs) {
            EXPECT_EQ(leaders[b.id], partitions / 6) << "broker " << b.id;
            EXPECT_EQ(replicas[b.id], partitions / 2) << "broker " << b.id;
        }
        for (const auto& [rack, n] : rack_leaders) EXPECT_EQ(n, partitions / 3) << rack;
    }
}

TEST(PlacementTest, UnevenRacksStillSpanEveryRack) {
    auto bs = brokers({{1, "a"}, {2, "b"}, {3, "b"}, {4, "b"}});
    auto placed = place({bs, 9, 2, {}, {}});
    for (const auto& a : placed) {
        EXPECT_EQ(std::count(a.begin(), a.end(), 1), 1) << "broker 1 is rack a's only broker";
        EXPECT_NE(rack_of(bs, a[0]), rack_of(bs, a[1]));
    }
    EXPECT_LE(spread(count(placed, true), bs), 1);
    auto replicas = count(placed, false);
    EXPECT_EQ(replicas[2], 3);
    EXPECT_EQ(replicas[3], 3);
    EXPECT_EQ(replicas[4], 3);

    auto three = brokers({{1, "a"}, {2, "a"}, {3, "b"}, {4, "c"}, {5, "c"}, {6, "c"}});
    for (const auto& a : place({three, 12, 3, {}, {}})) {
        std::set<std::string> racks;
        for (int32_t id : a) racks.insert(rack_of(three, id));
        EXPECT_EQ(racks.size(), 3u);
    }
}

TEST(PlacementTest, BrokersWithoutARackFormTheirOwnGroup) {
    auto bs = brokers({{1, "a"}, {2, "a"}, {3, nullptr}, {4, nullptr}});
    for (const auto& a : place({bs, 8, 2, {}, {}})) {
        EXPECT_NE(rack_of(bs, a[0]), rack_of(bs, a[1]));
    }
}

TEST(PlacementTest, ReplicationFactorAboveBrokerCountIsRefused) {
    auto bs = brokers({{1, "a"}, {2, "b"}});
    std::string error;
    auto placed = place_replicas({bs, 3, 3, {}, {}}, &error);
    ASSERT_FALSE(placed);
    EXPECT_EQ(placed.error(), make_error_code(Errc::InvalidReplicationFactor));
    EXPECT_NE(error.find("only 2 broker(s) are registered"), std::string::npos) << error;
    EXPECT_EQ(place_replicas({bs, 3, 0, {}, {}}, &error).error(),
              make_error_code(Errc::InvalidReplicationFactor));
    EXPECT_EQ(place_replicas({{}, 1, 1, {}, {}}, &error).error(),
              make_error_code(Errc::InvalidReplicationFactor));
}

TEST(PlacementTest, SameInputGivesTheSameAssignmentWhateverTheBrokerOrder) {
    auto bs = brokers({{4, "b"}, {1, "a"}, {3, "b"}, {2, "a"}, {5, nullptr}});
    auto first = place({bs, 20, 3, {}, {{1, 7}, {3, 2}}});
    std::reverse(bs.begin(), bs.end());
    EXPECT_EQ(place({bs, 20, 3, {}, {{1, 7}, {3, 2}}}), first);
}

TEST(PlacementTest, ClusterLoadSpreadsSinglePartitionTopics) {
    auto bs = brokers({{1, nullptr}, {2, nullptr}, {3, nullptr}});
    std::map<int32_t, int64_t> load;
    std::map<int32_t, int> leaders;
    for (int topic = 0; topic < 9; ++topic) {
        auto a = place({bs, 1, 1, {}, load});
        ASSERT_EQ(a.size(), 1u);
        ++load[a[0][0]];
        ++leaders[a[0][0]];
    }
    EXPECT_EQ(leaders, (std::map<int32_t, int>{{1, 3}, {2, 3}, {3, 3}}));
}

TEST(PlacementTest, NewPartitionsKeepTheBalanceOfExistingOnes) {
    auto bs = brokers({{1, "a"}, {2, "a"}, {3, "b"}, {4, "b"}, {5, "c"}, {6, "c"}});
    auto first = place({bs, 5, 3, {}, {}});
    auto more = place({bs, 7, 3, first, {}});
    auto all = first;
    all.insert(all.end(), more.begin(), more.end());
    EXPECT_EQ(spread(count(all, true), bs), 0);
    EXPECT_EQ(spread(count(all, false), bs), 0);
    // A new broker joins: new partitions favour it until it catches up.
    bs.push_back({7, "c"});
    auto grown = place({bs, 3, 3, all, {}});
    for (const auto& a : grown) EXPECT_TRUE(std::count(a.begin(), a.end(), 7)) << a[0];
}

// Random cluster shapes (seeded): the rules hold for every one of them.
TEST(PlacementTest, RulesHoldOverRandomClusterShapes) {
    std::mt19937 rng(20261122);
    for (int round = 0; round < 3000; ++round) {
        int n = 1 + static_cast<int>(rng() % 12);
        int rack_count = static_cast<int>(rng() % 5);  // 0: nobody has a rack
        bool even_racks = rng() % 2;
        std::vector<PlacementBroker> bs;
        for (int i = 0; i < n; ++i) {
            PlacementBroker b{static_cast<int32_t>(10 + i * 3), std::nullopt};
            int r = even_racks ? i % std::max(rack_count, 1) : static_cast<int>(rng() % 5);
            if (rack_count > 0 && r < rack_count) b.rack = std::string(1, char('a' + r));
            bs.push_back(b);
        }
        std::shuffle(bs.begin(), bs.end(), rng);
        int rf = 1 + static_cast<int>(rng() % std::min(n, 4));
        int partitions = 1 + static_cast<int>(rng() % 40);
        auto placed = place({bs, partitions, rf, {}, {}});
        ASSERT_EQ(placed.size(), static_cast<size_t>(partitions)) << "round " << round;

        std::set<std::string> all_racks;
        for (const auto& b : bs) all_racks.insert(rack_of(bs, b.id));
        std::map<std::string, std::vector<PlacementBroker>> by_rack;
        for (const auto& b : bs) by_rack[rack_of(bs, b.id)].push_back(b);
        for (const auto& a : placed) {
            ASSERT_EQ(a.size(), static_cast<size_t>(rf));
            std::set<int32_t> distinct(a.begin(), a.end());
            EXPECT_EQ(distinct.size(), a.size()) << "round " << round;
            std::set<std::string> racks;
            for (int32_t id : a) racks.insert(rack_of(bs, id));
            EXPECT_EQ(racks.size(), std::min<size_t>(rf, all_racks.size())) << "round " << round;
        }
        auto leaders = count(placed, true);
        auto replicas = count(placed, false);
        EXPECT_LE(spread(leaders, bs), 1) << "round " << round;
        for (const auto& [rack, members] : by_rack) {
            EXPECT_LE(spread(replicas, members), 1) << "round " << round << " rack " << rack;
        }
        bool equal_racks = true;
        for (const auto& [rack, members] : by_rack) {
            equal_racks = equal_racks && members.size() == by_rack.begin()->second.size();
        }
        if (equal_racks) {
            EXPECT_LE(spread(replicas, bs), 1) << "round " << round;
        }
        EXPECT_EQ(place({bs, partitions, rf, {}, {}}), placed) << "round " << round;
    }
}

}  // namespace
}  // namespace broker::cluster
