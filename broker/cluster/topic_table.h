#pragma once
// TopicTable: the single-node source of truth for topics (name, id, partition count,
// replication factor, config overrides), persisted atomically to one JSON file under log.dirs
// (write a temp file, fsync, rename, fsync the directory) and reloaded at start.
// The Raft controller replaces it later; keep the interface narrow.

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "broker/cluster/topic_info.h"
#include "common/result.h"

namespace broker::cluster {

// Owned by the TopicController; used only on the controller shard. Mutations change memory
// only; save() makes them durable.
class TopicTable {
  public:
    static constexpr const char* kFileName = "topics.json";

    explicit TopicTable(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Reads the table from disk; a missing file is an empty table. A corrupt file is an error
    // (IoError / Malformed), never silently dropped.
    [[nodiscard]] common::Result<void> load();
    [[nodiscard]] common::Result<void> save() const;

    const TopicInfo* find(std::string_view name) const;
    // Fails with AlreadyExists when the name is taken.
    [[nodiscard]] common::Result<void> add(TopicInfo info);
    [[nodiscard]] common::Result<void> remove(std::string_view name);
    // Replaces an existing topic's entry (same name).
    [[nodiscard]] common::Result<void> update(TopicInfo info);

    std::shared_ptr<const TopicSnapshot> snapshot() const;
    size_t size() const { return topics_.size(); }

  private:
    std::filesystem::path dir_;
    std::map<std::string, TopicInfo, std::less<>> topics_;
};

// A new random (version 4) topic id; never all zeros.
TopicId make_topic_id();

// "" when `name` is a legal topic name, else why not: [a-zA-Z0-9._-], 1..249 chars, not "."/"..".
std::string check_topic_name(std::string_view name);

}  // namespace broker::cluster
