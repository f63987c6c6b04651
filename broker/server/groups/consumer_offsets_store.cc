#include "broker/server/groups/consumer_offsets_store.h"

#include <chrono>
#include <map>

#include "broker/partition/errc.h"
#include "broker/partition/partition_manager.h"
#include "broker/server/groups/offsets_record_codec.h"
#include "common/errc.h"
#include "common/log.h"
#include "common/protocol/records/batch_splitter.h"
#include "common/protocol/records/record_batch_builder.h"
#include "common/protocol/records/record_iterator.h"

namespace broker::server::groups {

namespace records = common::records;

namespace {

auto& store_log() {
    static auto logger = common::log::get("groups");
    return logger;
}

// ListOffsets' "earliest": the log start offset.
constexpr int64_t kEarliestTimestamp = -2;
// How much of the partition one read step asks for while loading.
constexpr int32_t kLoadReadBytes = 1 << 20;
// Bound on a batch's decompressed size while loading (Kafka's offsets batches are small).
constexpr size_t kMaxDecompressedBytes = 64 << 20;

int64_t system_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// What load() has gathered for one group so far.
struct GroupState {
    std::optional<GroupRecord> metadata;
    OffsetMap offsets;
};

// Applies the newest state of the keys of one loaded partition, record by record.
class PartitionLoader {
  public:
    explicit PartitionLoader(int32_t partition) : partition_(partition) {}

    // Applies every record of one batch (whole batch bytes); a bad batch is logged and skipped.
    void apply_batch(std::span<const uint8_t> batch) {
        auto it = records::RecordIterator::open(batch, kMaxDecompressedBytes);
        if (!it) return skip("batch", it.error());
        // Transaction markers carry no group state; transactional commits are not written yet.
        if (it.value().header().is_control()) return;
        while (true) {
            auto record = it.value().next();
            if (!record) return skip("record", record.error());
            if (!record.value()) return;
            apply_record(*record.value(), it.value().offset_of(*record.value()));
        }
    }

    std::vector<LoadedGroup> take() {
        std::vector<LoadedGroup> out;
        for (auto& [id, state] : groups_) {
            if (!state.metadata && state.offsets.empty()) continue;
            out.push_back(LoadedGroup{id, std::move(state.metadata), std::move(state.offsets)});
        }
        return out;
    }

  private:
    void apply_record(const records::Record& r, int64_t offset) {
        if (!r.key) return skip_at(offset, "a record without a key", {});
        auto key = decode_offsets_key(*r.key);
        if (!key) return skip_at(offset, "key", key.error());
        if (auto* k = std::get_if<OffsetRecordKey>(&key.value())) {
            apply_offset(*k, r.value, offset);
        } else {
            apply_group(std::get<GroupRecordKey>(key.value()), r.value, offset);
        }
    }

    void apply_offset(const OffsetRecordKey& k, const std::optional<records::ByteView>& value,
                      int64_t offset) {
        GroupState& g = groups_[k.group];
        if (!value) {
            g.offsets.erase(k.partition);
            return;
        }
        auto decoded = decode_offset_value(*value);
        if (!decoded) return skip_at(offset, "offset commit value", decoded.error());
        g.offsets[k.partition] = std::move(decoded).value();
    }

    void apply_group(const GroupRecordKey& k, const std::optional<records::ByteView>& value,
                     int64_t offset) {
        GroupState& g = groups_[k.group];
        if (!value) {
            g.metadata.reset();
            return;
        }
        auto decoded = decode_group_value(*value);
        if (!decoded) return skip_at(offset, "group metadata value", decoded.error());
        g.metadata = std::move(decoded).value();
    }

    void skip(const char* what, std::error_code ec) {
        store_log()->warn("{}-{}: skipping an unreadable {} while loading: {}", kOffsetsTopic,
                          partition_, what, ec.message());
    }
    void skip_at(int64_t offset, const char* what, std::error_code ec) {
        store_log()->warn("{}-{} offset {}: skipping {} while loading{}{}", kOffsetsTopic,
                          partition_, offset, what, ec ? ": " : "", ec ? ec.message() : "");
    }

    int32_t partition_;
    std::map<std::string, GroupState> groups_;
};

}  // namespace

ConsumerOffsetsStore::ConsumerOffsetsStore(partition::PartitionManager* partitions,
                                           PartitionCount partition_count,
                                           int32_t min_insync_replicas,
                                           std::function<int64_t()> clock)
    : partitions_(partitions),
      partition_count_(std::move(partition_count)),
      min_insync_replicas_(min_insync_replicas),
      clock_(std::move(clock)) {}

int32_t ConsumerOffsetsStore::partition_for(std::string_view group_id) const {
    const int32_t count = partition_count_();
    return count > 0 ? offsets_partition_for(group_id, count) : -1;
}

common::awaitable<common::Result<void>> ConsumerOffsetsStore::append(const std::string& group_id,
                                                                     std::vector<Entry> entries) {
    if (entries.empty()) co_return common::ok();
    const int32_t index = partition_for(group_id);
    auto p = partitions_->data_path(std::string(kOffsetsTopic), index);
    if (!p) co_return p.error();
    const int64_t now = clock_();
    records::RecordBatchBuilder builder(records::BatchOptions{});
    for (auto& e : entries) {
        builder.add(records::NewRecord{.key = std::move(e.key),
                                       .value = std::move(e.value),
                                       .timestamp = now,
                                       .headers = {},
                                       .offset_delta = std::nullopt});
    }
    auto batch = builder.build();
    if (!batch) co_return batch.error();
    auto written = co_await p.value()->produce(std::move(batch).value(), -1, min_insync_replicas_);
    if (!written) {
        store_log()->warn("group {}: writing to {}-{} failed: {}", group_id, kOffsetsTopic, index,
                          written.error().message());
        co_return written.error();
    }
    co_return common::ok();
}

common::awaitable<common::Result<void>> ConsumerOffsetsStore::write_group(
    const std::string& group_id, const GroupRecord& record) {
    std::vector<Entry> entries;
    entries.push_back({encode_group_key(group_id), encode_group_value(record)});
    co_return co_await append(group_id, std::move(entries));
}

common::awaitable<common::Result<void>> ConsumerOffsetsStore::write_offsets(
    const std::string& group_id, const OffsetMap& offsets) {
    std::vector<Entry> entries;
    for (const auto& [tp, offset] : offsets) {
        entries.push_back({encode_offset_key(group_id, tp), encode_offset_value(offset)});
    }
    co_return co_await append(group_id, std::move(entries));
}

common::awaitable<common::Result<void>> ConsumerOffsetsStore::delete_offsets(
    const std::string& group_id, const std::vector<TopicPartition>& partitions) {
    std::vector<Entry> entries;
    for (const auto& tp : partitions) entries.push_back({encode_offset_key(group_id, tp), {}});
    co_return co_await append(group_id, std::move(entries));
}

common::awaitable<common::Result<void>> ConsumerOffsetsStore::delete_group(
    const std::string& group_id, const OffsetMap& offsets) {
    std::vector<Entry> entries;
    for (const auto& [tp, offset] : offsets) {
        entries.push_back({encode_offset_key(group_id, tp), {}});
    }
    entries.push_back({encode_group_key(group_id), {}});
    co_return co_await append(group_id, std::move(entries));
}

common::awaitable<common::Result<std::vector<LoadedGroup>>> ConsumerOffsetsStore::load(
    int32_t index) {
    auto p = partitions_->data_path(std::string(kOffsetsTopic), index);
    if (!p) co_return p.error();
    auto start = p.value()->offset_for(kEarliestTimestamp);
    if (!start) co_return start.error();
    PartitionLoader loader(index);
    int64_t offset = start.value().offset;
    while (true) {
        auto read = p.value()->read(offset, kLoadReadBytes, true);
        if (!read) co_return read.error();
        if (offset >= read.value().high_watermark) break;
        records::BatchSplitter batches(read.value().records);
        const int64_t before = offset;
        while (true) {
            auto batch = batches.next();
            if (!batch || !batch.value()) break;  // the log hands out whole, validated batches
            auto header = records::parse_batch_header(*batch.value());
            if (!header) break;
            loader.apply_batch(*batch.value());
            offset = header.value().last_offset() + 1;
        }
        if (offset == before) {
            store_log()->error("{}-{}: cannot read past offset {} while loading", kOffsetsTopic,
                               index, offset);
            co_return common::Errc::CorruptData;
        }
    }
    auto groups = loader.take();
    store_log()->info("{}-{}: loaded {} groups up to offset {}", kOffsetsTopic, index,
                      groups.size(), offset);
    co_return groups;
}

std::unique_ptr<GroupStore> make_group_store(partition::PartitionManager* local,
                                             ConsumerOffsetsStore::PartitionCount partition_count,
                                             int32_t min_insync_replicas) {
    return std::make_unique<ConsumerOffsetsStore>(local, std::move(partition_count),
                                                  min_insync_replicas, system_now_ms);
}

}  // namespace broker::server::groups
