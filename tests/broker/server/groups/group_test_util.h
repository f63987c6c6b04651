#pragma once
// Helpers for the group tests: consumer-protocol subscriptions and JoinGroup arguments.

#include <string>
#include <vector>

#include "broker/server/groups/group_types.h"
#include "common/protocol/writer.h"

namespace broker::server::groups::testing {

// Consumer protocol subscription v0: version, topics, user data (null).
inline Bytes subscription(const std::vector<std::string>& topics) {
    common::protocol::Writer w;
    w.write_int16(0);
    w.write_int32(static_cast<int32_t>(topics.size()));
    for (const auto& t : topics) w.write_string(t, false);
    w.write_int32(-1);
    return w.take();
}

inline JoinArgs consumer_join(std::string member_id, std::string new_id,
                              std::vector<std::string> topics = {"t"}) {
    JoinArgs a;
    a.member_id = std::move(member_id);
    a.client_id = "client";
    a.client_host = "/127.0.0.1";
    a.session_timeout_ms = 10000;
    a.rebalance_timeout_ms = 30000;
    a.protocol_type = "consumer";
    a.protocols = {{"range", subscription(topics)}, {"roundrobin", subscription(topics)}};
    a.new_member_id = std::move(new_id);
    return a;
}

}  // namespace broker::server::groups::testing
