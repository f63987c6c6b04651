#include "broker/server/handlers/init_producer_id.h"

#include <gtest/gtest.h>

#include "common/protocol/error_code.h"
#include "tests/broker/server/handlers/datapath_fixture.h"

namespace broker::server::handlers {
namespace {

using common::protocol::ErrorCode;

class InitProducerIdHandlerTest : public testing::DatapathFixture {};

TEST_F(InitProducerIdHandlerTest, IdempotentProducersGetDistinctIdsAtEpochZero) {
    InitProducerIdHandler::Request r;
    r.transactional_id = std::nullopt;
    auto a = call<InitProducerIdHandler>(r, 4);
    auto b = call<InitProducerIdHandler>(r, 1);
    EXPECT_EQ(a.error_code, 0);
    EXPECT_EQ(b.error_code, 0);
    EXPECT_GE(a.producer_id, 0);
    EXPECT_NE(a.producer_id, b.producer_id);
    EXPECT_EQ(a.producer_epoch, 0);
}

TEST_F(InitProducerIdHandlerTest, TransactionalIdsAreNotServedYet) {
    InitProducerIdHandler::Request r;
    r.transactional_id = "txn-1";
    auto resp = call<InitProducerIdHandler>(r, 4);
    EXPECT_EQ(resp.error_code, static_cast<int16_t>(ErrorCode::CoordinatorNotAvailable));
    EXPECT_EQ(resp.producer_id, -1);
    r.transactional_id = "";
    EXPECT_EQ(call<InitProducerIdHandler>(r, 4).error_code,
              static_cast<int16_t>(ErrorCode::InvalidRequest));
}

}  // namespace
}  // namespace broker::server::handlers
