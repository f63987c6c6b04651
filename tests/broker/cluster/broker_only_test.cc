// The pure parts of broker-only nodes: which learner the active controller adds, where a
// broker-only node's Raft listener is found, the QuorumJoin bodies, and who dials whom.
#include <gtest/gtest.h>

#include "broker/cluster/quorum_join.h"
#include "broker/cluster/quorum_learners.h"
#include "broker/cluster/raft_peers.h"
#include "broker/config/broker_config.h"
#include "broker/raft/raft_runtime.h"
#include "common/errc.h"
#include "metadata_test_records.h"

namespace broker::cluster {
namespace {

using common::protocol::ErrorCode;
using raft::Membership;
using raft::NodeId;

Membership voters_1_2_3(std::vector<NodeId> learners = {}) {
    return Membership::of({NodeId(1), NodeId(2), NodeId(3)}, std::move(learners));
}

MetadataState registered(std::initializer_list<int32_t> ids) {
    MetadataState state;
    int64_t epoch = 0;
    for (int32_t id : ids) {
        auto record = testing::broker_record(id, ++epoch);
        record.endpoints.push_back({"CONTROLLER", "10.0.1." + std::to_string(id),
                                    static_cast<uint16_t>(9000 + id), "PLAINTEXT"});
        EXPECT_TRUE(state.apply(record));
    }
    return state;
}

TEST(QuorumLearnersTest, TheLowestRegisteredNonMemberIsAddedFirst) {
    auto state = registered({1, 2, 3, 5, 4});
    auto change = next_learner_change(voters_1_2_3(), state);
    ASSERT_TRUE(change);
    EXPECT_EQ(*change, (LearnerChange{LearnerChange::Kind::Add, 4}));
    change = next_learner_change(voters_1_2_3({NodeId(4)}), state);
    ASSERT_TRUE(change);
    EXPECT_EQ(*change, (LearnerChange{LearnerChange::Kind::Add, 5}));
}

TEST(QuorumLearnersTest, NothingChangesOnceEveryBrokerIsAMember) {
    EXPECT_FALSE(
        next_learner_change(voters_1_2_3({NodeId(4), NodeId(5)}), registered({1, 2, 3, 4, 5})));
    // Voters that have not registered (yet) are never touched, nor are learners that joined
    // before registering.
    EXPECT_FALSE(next_learner_change(voters_1_2_3({NodeId(7)}), registered({1})));
    EXPECT_FALSE(next_learner_change(voters_1_2_3(), MetadataState{}));
}

TEST(RaftPeersTest, BrokerOnlyNodesAreNamedByTheirRegisteredRaftListener) {
    auto state = registered({1, 2, 3, 4, 5});
    auto peers = raft_peers(state, "CONTROLLER", 4, voters_1_2_3());
    ASSERT_EQ(peers.size(), 1u);  // not itself, not the voters (known from their config)
    EXPECT_EQ(peers[0], (RaftPeer{5, "10.0.1.5", 9005}));
    peers = raft_peers(state, "CONTROLLER", 1, voters_1_2_3());
    ASSERT_EQ(peers.size(), 2u);
    EXPECT_EQ(peers[0].id, 4);
    EXPECT_EQ(peers[1].id, 5);
    // A broker that registered no Raft listener (an older broker) is not named.
    MetadataState old;
    ASSERT_TRUE(old.apply(testing::broker_record(6, 1)));
    EXPECT_TRUE(raft_peers(old, "CONTROLLER", 1, voters_1_2_3()).empty());
}

config::BrokerConfig make_config(const config::Properties& props) {
    std::string error;
    auto c = config::build_config(props, &error);
    EXPECT_TRUE(c) << error;
    return c ? c.value() : config::BrokerConfig{};
}

TEST(RaftPeersTest, TheRegisteredRaftEndpointIsTheListenerOrTheAdvertisedInterBrokerHost) {
    config::Properties props = {
        {"node.id", "4"},
        {"listeners", "PLAINTEXT://10.0.0.4:9092,CONTROLLER://10.0.0.4:9090"},
        {"advertised.listeners", "PLAINTEXT://b4.svc:9092"},
        {"listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"},
        {"controller.listener.names", "CONTROLLER"},
        {"controller.quorum.voters", "1@b1.svc:9090"},
        {"process.roles", "broker"}};
    auto endpoint = raft_endpoint_for(make_config(props), 9090);
    ASSERT_TRUE(endpoint);
    EXPECT_EQ(*endpoint, (BrokerEndpoint{"CONTROLLER", "10.0.0.4", 9090, "PLAINTEXT"}));
    props["listeners"] = "PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:0";
    endpoint = raft_endpoint_for(make_config(props), 41234);  // the port bound for port 0
    ASSERT_TRUE(endpoint);
    EXPECT_EQ(*endpoint, (BrokerEndpoint{"CONTROLLER", "b4.svc", 41234, "PLAINTEXT"}));
}

TEST(QuorumJoinTest, RequestAndResponseRoundTripAndBadBytesAreRefused) {
    QuorumJoinRequest request{4, "10.0.0.4", 9090};
    auto bytes = encode_quorum_join(request);
    auto back = decode_quorum_join(bytes);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(back.value(), request);
    for (size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_FALSE(decode_quorum_join(std::span<const uint8_t>(bytes).first(n))) << n;
    }
    bytes.push_back(0);
    EXPECT_FALSE(decode_quorum_join(bytes));
    for (auto error : {ErrorCode::None, ErrorCode::NotController, ErrorCode::RequestTimedOut}) {
        auto answer = decode_quorum_join_response(encode_quorum_join_response(error));
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer.value(), error);
    }
    // A heartbeat body is not a join (bodies are routed by type).
    EXPECT_FALSE(decode_quorum_join(encode_quorum_join_response(ErrorCode::None)));
}

TEST(RaftDialsTest, BrokerOnlyNodesDialVotersAndOtherwiseTheLowerIdDials) {
    auto voters = voters_1_2_3();
    for (int a = 1; a <= 6; ++a) {
        for (int b = 1; b <= 6; ++b) {
            if (a == b) continue;
            // Exactly one end of every pair dials.
            EXPECT_NE(raft::dials(NodeId(a), NodeId(b), voters),
                      raft::dials(NodeId(b), NodeId(a), voters))
                << a << " " << b;
        }
    }
    EXPECT_TRUE(raft::dials(NodeId(4), NodeId(1), voters));   // broker-only -> voter
    EXPECT_FALSE(raft::dials(NodeId(1), NodeId(4), voters));  // a voter waits for it
    EXPECT_TRUE(raft::dials(NodeId(1), NodeId(2), voters));   // voters: the lower id
    EXPECT_TRUE(raft::dials(NodeId(4), NodeId(5), voters));   // broker-only: the lower id
    EXPECT_FALSE(raft::dials(NodeId(5), NodeId(4), voters));
}

}  // namespace
}  // namespace broker::cluster
