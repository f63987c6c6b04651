#pragma once
// FakeGroupStore: an in-memory GroupStore for unit tests of the group coordinator. Keeps the
// newest group record and offsets per group, counts writes, and can be told to fail writes.
// Groups go to partitions by Java's String.hashCode like the real store. Header-only; used on
// one thread (the test's io_context).

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "broker/server/groups/group_store.h"
#include "common/errc.h"

namespace broker::server::groups::testing {

// The state a FakeGroupStore writes; shared so a test can inspect it after the store moved into
// a coordinator, and hand it to a second store (a restart).
struct FakeGroupData {
    std::map<std::string, GroupRecord> groups;
    std::map<std::string, OffsetMap> offsets;
    int writes = 0;
    bool fail_writes = false;
};

class FakeGroupStore final : public GroupStore {
  public:
    FakeGroupStore(FakeGroupData* data, int32_t partitions)
        : data_(data), partitions_(partitions) {}

    int32_t partition_for(std::string_view group_id) const override {
        int32_t h = 0;
        for (char c : group_id) h = 31 * h + static_cast<int32_t>(static_cast<unsigned char>(c));
        if (partitions_ <= 0) return -1;  // no __consumer_offsets yet
        return static_cast<int32_t>(std::abs(static_cast<int64_t>(h)) % partitions_);
    }

    common::awaitable<common::Result<void>> write_group(const std::string& group_id,
                                                        const GroupRecord& record) override {
        if (data_->fail_writes) co_return common::Errc::IoError;
        ++data_->writes;
        data_->groups[group_id] = record;
        co_return common::ok();
    }
    common::awaitable<common::Result<void>> write_offsets(const std::string& group_id,
                                                          const OffsetMap& offsets) override {
        if (data_->fail_writes) co_return common::Errc::IoError;
        ++data_->writes;
        for (const auto& [tp, o] : offsets) data_->offsets[group_id][tp] = o;
        co_return common::ok();
    }
    common::awaitable<common::Result<void>> delete_offsets(
        const std::string& group_id, const std::vector<TopicPartition>& partitions) override {
        if (data_->fail_writes) co_return common::Errc::IoError;
        ++data_->writes;
        for (const auto& tp : partitions) data_->offsets[group_id].erase(tp);
        co_return common::ok();
    }
    common::awaitable<common::Result<void>> delete_group(const std::string& group_id,
                                                         const OffsetMap& offsets) override {
        if (data_->fail_writes) co_return common::Errc::IoError;
        ++data_->writes;
        data_->groups.erase(group_id);
        for (const auto& [tp, o] : offsets) data_->offsets[group_id].erase(tp);
        if (data_->offsets[group_id].empty()) data_->offsets.erase(group_id);
        co_return common::ok();
    }
    common::awaitable<common::Result<std::vector<LoadedGroup>>> load(int32_t partition) override {
        std::map<std::string, LoadedGroup> found;
        for (const auto& [id, record] : data_->groups) {
            if (partition_for(id) == partition) found[id].metadata = record;
        }
        for (const auto& [id, offsets] : data_->offsets) {
            if (partition_for(id) == partition && !offsets.empty()) found[id].offsets = offsets;
        }
        std::vector<LoadedGroup> out;
        for (auto& [id, g] : found) {
            g.group_id = id;
            out.push_back(std::move(g));
        }
        co_return out;
    }

  private:
    FakeGroupData* data_;
    int32_t partitions_;
};

}  // namespace broker::server::groups::testing
