#include "broker/partition/storage_log_store.h"

#include "broker/partition/partition.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::partition {
namespace {

// A storage::Log seen as a PartitionLog. The Log is owned by the LogManager; this view lives
// inside its Partition, which is closed before the log is removed.
class StoragePartitionLog final : public PartitionLog {
  public:
    explicit StoragePartitionLog(storage::Log* log) : log_(log) {}

    common::Result<LogAppendResult> append(std::span<uint8_t> batch) override {
        // The batch keeps the leader epoch its writer stamped (0 on a single node, the Raft term
        // for a replicated partition).
        TRIBUTARY_TRY(info, log_->append(batch));
        return LogAppendResult{info.base_offset, info.last_offset};
    }

    common::Result<std::vector<uint8_t>> read(int64_t offset, size_t max_bytes,
                                              int64_t upper_bound) override {
        TRIBUTARY_TRY(r, log_->read(offset, max_bytes, upper_bound));
        return r.copy_bytes();
    }

    common::Result<std::vector<LogBatchInfo>> batches_from(int64_t from_offset) override {
        std::vector<LogBatchInfo> out;
        if (from_offset >= log_->log_end_offset()) return out;
        TRIBUTARY_TRY(headers, log_->batch_headers_from(from_offset));
        out.reserve(headers.size());
        for (const auto& h : headers) {
            out.push_back(LogBatchInfo{h.base_offset, h.last_offset_delta, h.max_timestamp,
                                       h.producer_id, h.producer_epoch, h.base_sequence,
                                       h.partition_leader_epoch});
        }
        return out;
    }

    common::Result<void> restart_at(int64_t offset) override {
        return log_->truncate_fully_and_start_at(offset);
    }

    common::Result<void> flush() override { return log_->flush(); }
    int64_t start_offset() const override { return log_->log_start_offset(); }
    int64_t end_offset() const override { return log_->log_end_offset(); }

    common::Result<std::optional<TimestampOffset>> offset_for_timestamp(int64_t ts) override {
        TRIBUTARY_TRY(found, log_->offset_for_timestamp(ts));
        if (!found) return std::optional<TimestampOffset>{};
        return std::optional<TimestampOffset>(TimestampOffset{found->timestamp, found->offset});
    }

    common::Result<std::optional<TimestampOffset>> max_timestamp() override {
        auto found = log_->max_timestamp();
        if (!found) return std::optional<TimestampOffset>{};
        return std::optional<TimestampOffset>(TimestampOffset{found->timestamp, found->offset});
    }

    std::filesystem::path dir() const override { return log_->dir(); }

  private:
    storage::Log* log_;
};

}  // namespace

common::Result<std::unique_ptr<PartitionLog>> StorageLogStore::open(
    const std::string& topic, int32_t partition, const storage::LogConfig& config) {
    const storage::TopicPartition tp{topic, partition};
    TRIBUTARY_TRY(log, manager_->get_or_create(tp, config));
    opened_.insert(tp);
    return std::unique_ptr<PartitionLog>(std::make_unique<StoragePartitionLog>(log));
}

common::Result<void> StorageLogStore::remove(const std::string& topic, int32_t partition) {
    const storage::TopicPartition tp{topic, partition};
    opened_.erase(tp);
    return manager_->remove(tp);
}

common::Result<void> StorageLogStore::set_config(const std::string& topic, int32_t partition,
                                                 const storage::LogConfig& config) {
    storage::Log* log = manager_->get(storage::TopicPartition{topic, partition});
    if (log == nullptr) return common::Errc::NotFound;
    return log->set_config(config);
}

std::filesystem::path StorageLogStore::root_dir() const {
    return manager_->log_dirs().front();
}

void StorageLogStore::run_retention(int64_t now_ms) {
    for (const auto& tp : opened_) {
        if (auto* log = manager_->get(tp)) {
            if (auto r = log->run_retention(now_ms); !r) {
                common::log::get("partition")
                    ->warn("retention of {}-{} failed: {}", tp.topic, tp.partition,
                           r.error().message());
            }
        }
    }
}

}  // namespace broker::partition
