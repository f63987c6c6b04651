#pragma once
// FakePartitionLog: an in-memory PartitionLog for unit tests of the partition layer and the
// data-path handlers. Counts flushes and lets a test observe what had happened when a flush ran.
// Owned by the Partition under test; single-threaded.

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "broker/partition/partition_log.h"
#include "common/errc.h"
#include "common/protocol/records/record_batch.h"

namespace broker::partition::testing {

// Shared between a test and the fake (the Partition owns the fake itself).
struct FakeLogState {
    std::vector<std::vector<uint8_t>> batches;  // stored bytes, base offsets rewritten
    int64_t start_offset = 0;
    int64_t end_offset = 0;
    int flushes = 0;
    int restarts = 0;            // restart_at calls
    size_t flushed_batches = 0;  // how many of `batches` the last successful flush covered
    bool fail_flush = false;
    std::function<void()> on_flush;   // runs inside flush(), before it returns
    std::function<void()> on_append;  // runs inside append(), after the batch is stored
    std::filesystem::path dir;
};

class FakePartitionLog final : public PartitionLog {
  public:
    explicit FakePartitionLog(std::shared_ptr<FakeLogState> state) : s_(std::move(state)) {}

    common::Result<LogAppendResult> append(std::span<uint8_t> batch) override {
        auto h = common::records::parse_batch_header(batch);
        if (!h) return h.error();
        (void)common::records::set_base_offset(batch, s_->end_offset);
        s_->batches.emplace_back(batch.begin(), batch.end());
        LogAppendResult r{s_->end_offset, s_->end_offset + h.value().last_offset_delta};
        s_->end_offset = r.last_offset + 1;
        if (s_->on_append) s_->on_append();
        return r;
    }

    common::Result<std::vector<uint8_t>> read(int64_t offset, size_t max_bytes,
                                              int64_t upper_bound) override {
        std::vector<uint8_t> out;
        for (const auto& b : s_->batches) {
            auto h = common::records::parse_batch_header(b).value();
            if (h.last_offset() < offset || h.base_offset >= upper_bound) continue;
            if (!out.empty() && out.size() + b.size() > max_bytes) break;
            out.insert(out.end(), b.begin(), b.end());
        }
        return out;
    }

    common::Result<std::vector<LogBatchInfo>> batches_from(int64_t from_offset) override {
        std::vector<LogBatchInfo> out;
        for (const auto& b : s_->batches) {
            auto h = common::records::parse_batch_header(b).value();
            if (h.last_offset() < from_offset) continue;
            out.push_back({h.base_offset, h.last_offset_delta, h.max_timestamp, h.producer_id,
                           h.producer_epoch, h.base_sequence, h.partition_leader_epoch});
        }
        return out;
    }

    common::Result<void> restart_at(int64_t offset) override {
        ++s_->restarts;
        s_->batches.clear();
        s_->flushed_batches = 0;
        s_->start_offset = offset;
        s_->end_offset = offset;
        return common::ok();
    }

    common::Result<void> flush() override {
        ++s_->flushes;
        if (s_->on_flush) s_->on_flush();
        if (s_->fail_flush) return common::Errc::IoError;
        s_->flushed_batches = s_->batches.size();
        return common::ok();
    }

    int64_t start_offset() const override { return s_->start_offset; }
    int64_t end_offset() const override { return s_->end_offset; }

    common::Result<std::optional<TimestampOffset>> offset_for_timestamp(int64_t ts) override {
        for (const auto& b : s_->batches) {
            auto h = common::records::parse_batch_header(b).value();
            if (h.max_timestamp >= ts) return TimestampOffset{h.max_timestamp, h.base_offset};
        }
        return std::optional<TimestampOffset>{};
    }

    common::Result<std::optional<TimestampOffset>> max_timestamp() override {
        std::optional<TimestampOffset> best;
        for (const auto& b : s_->batches) {
            auto h = common::records::parse_batch_header(b).value();
            if (!best || h.max_timestamp > best->timestamp) {
                best = TimestampOffset{h.max_timestamp, h.base_offset};
            }
        }
        return best;
    }

    std::filesystem::path dir() const override { return s_->dir; }

  private:
    std::shared_ptr<FakeLogState> s_;
};

}  // namespace broker::partition::testing
