#pragma once
// OffsetForLeaderEpoch (key 23): per partition, the end offset of a leader epoch — the first
// offset of the next epoch, or the log end offset for the current one — so a consumer (KIP-320)
// or replica can detect a log that diverged after a leader change, answered by the partition's
// DataPath. A single node has one epoch (partition::kLeaderEpoch): it answers that epoch with the
// log end offset, and an unknown epoch with epoch -1 / offset -1 (Kafka's
// UNDEFINED_EPOCH_OFFSET). A replicated partition answers on its leader only, epochs being Raft
// terms. Stateless.

#include "broker/server/handler.h"
#include "common/protocol/messages/offset_for_leader_epoch.h"

namespace broker::server::handlers {

struct OffsetForLeaderEpochHandler {
    using Request = common::protocol::OffsetForLeaderEpochRequest;
    using Response = common::protocol::OffsetForLeaderEpochResponse;
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 4;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
