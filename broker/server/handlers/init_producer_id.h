#pragma once
// InitProducerId (key 22): hands an idempotent producer a new producer id with epoch 0, from
// blocks persisted under log.dirs so ids never repeat after a restart. Transactional ids are
// not supported yet: they get COORDINATOR_NOT_AVAILABLE, what Kafka answers while its
// transaction coordinator is unavailable (clients retry, then fail the transactional init).
// Stateless; ids come from shard 0's PartitionManager.

#include "broker/server/handler.h"
#include "common/protocol/messages/init_producer_id.h"

namespace broker::server::handlers {

struct InitProducerIdHandler {
    using Request = common::protocol::InitProducerIdRequest;
    using Response = common::protocol::InitProducerIdResponse;
    // v2: flexible; v3-4: KIP-360 epoch bump requests (answered with a fresh id, as Kafka does
    // for producers without a transactional id).
    static constexpr int16_t kMinVersion = 0;
    static constexpr int16_t kMaxVersion = 4;
    static awaitable<Response> handle(RequestContext& ctx, Request request);
};

}  // namespace broker::server::handlers
