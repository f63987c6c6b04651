#include "common/protocol/records/control_record.h"

#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/protocol/records/record_iterator.h"

namespace common::records {
namespace {

TEST(ControlRecord, CommitMarkerBatchIsATransactionalControlBatchThatParsesBack) {
    EndTxnMarkerBatch b;
    b.producer_id = 4000;
    b.producer_epoch = 12;
    b.base_offset = 77;
    b.partition_leader_epoch = 3;
    b.timestamp = 1700000000000;
    b.marker = {ControlType::Commit, 9};
    auto batch = build_end_txn_marker_batch(b);
    ASSERT_TRUE(batch);
    auto it = RecordIterator::open(batch.value(), 1 << 20);
    ASSERT_TRUE(it);
    const auto& h = it.value().header();
    EXPECT_TRUE(h.is_control());
    EXPECT_TRUE(h.is_transactional());
    EXPECT_EQ(h.producer_id, 4000);
    EXPECT_EQ(h.producer_epoch, 12);
    EXPECT_EQ(h.base_sequence, -1);
    EXPECT_EQ(h.records_count, 1);
    auto record = it.value().next();
    ASSERT_TRUE(record && record.value());
    // Key: version 0, type 1. Value: version 0, coordinator epoch 9.
    EXPECT_EQ(std::vector<uint8_t>(record.value()->key->begin(), record.value()->key->end()),
              (std::vector<uint8_t>{0, 0, 0, 1}));
    EXPECT_EQ(std::vector<uint8_t>(record.value()->value->begin(), record.value()->value->end()),
              (std::vector<uint8_t>{0, 0, 0, 0, 0, 9}));
    auto marker = parse_end_txn_marker(*record.value());
    ASSERT_TRUE(marker);
    EXPECT_EQ(marker.value().type, ControlType::Commit);
    EXPECT_EQ(marker.value().coordinator_epoch, 9);
}

TEST(ControlRecord, ShortKeyIsMalformedAndUnknownTypeIsUnsupported) {
    const std::vector<uint8_t> short_key = {0, 0, 0};
    const std::vector<uint8_t> leader_change = {0, 0, 0, 2};
    const std::vector<uint8_t> value = {0, 0, 0, 0, 0, 1};
    Record r;
    r.key = ByteView(short_key);
    r.value = ByteView(value);
    EXPECT_EQ(control_type_of(r).error(), Errc::Malformed);
    r.key = ByteView(leader_change);
    EXPECT_EQ(control_type_of(r).value(), 2);
    EXPECT_EQ(parse_end_txn_marker(r).error(), Errc::Unsupported);
    r.key.reset();
    EXPECT_EQ(parse_end_txn_marker(r).error(), Errc::Malformed);
}

}  // namespace
}  // namespace common::records
