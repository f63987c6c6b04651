#pragma once
// Cluster identity: the cluster id (Kafka's form: 16 random bytes in URL-safe base64 without
// padding, 22 characters) and this node's id, kept in <log.dirs>/meta.properties so a data
// directory always belongs to one node of one cluster.

#include <cstdint>
#include <filesystem>
#include <random>
#include <string>

#include "common/cluster_id.h"
#include "common/result.h"

namespace broker::cluster {

// What meta.properties holds. A plain value.
struct MetaProperties {
    static constexpr const char* kFileName = "meta.properties";
    static constexpr int32_t kVersion = 1;

    std::string cluster_id;
    int32_t node_id = 0;
    int32_t version = kVersion;
    bool operator==(const MetaProperties&) const = default;
};

// A new cluster id from `rng` (tests seed it; the broker uses a random_device-seeded engine).
std::string generate_cluster_id(std::mt19937_64& rng);
// Whether an id has Kafka's form (common/cluster_id.h).
using common::is_valid_cluster_id;

// What start-up found in the data directory.
struct OpenedMetaProperties {
    MetaProperties meta;
    // meta.properties did not exist: this process start made `meta` (and wrote it when asked).
    bool created = false;
};

// Start-up: reads <dir>/meta.properties, or creates it when it does not exist, with
// `configured_cluster_id` (the cluster.id property; "" when unset: a new random id). With
// `write_new` false a new one is only returned, not written: a clustered node without cluster.id
// writes it once the controller quorum has settled the cluster's id (ClusterIdFollower), so a
// crash before that leaves the directory as fresh as it was. Refuses
// (InvalidArgument, `error` says why) a file whose node.id differs from `node_id`, whose
// cluster.id differs from a configured one (the error names both), an unknown version, or a
// missing/malformed cluster.id; IoError when it cannot be read/written.
common::Result<OpenedMetaProperties> open_meta_properties(const std::filesystem::path& dir,
                                                          int32_t node_id,
                                                          const std::string& configured_cluster_id,
                                                          std::string* error,
                                                          bool write_new = true);
// open_meta_properties() without a configured cluster id.
common::Result<MetaProperties> load_or_create_meta_properties(const std::filesystem::path& dir,
                                                              int32_t node_id, std::string* error);
// Writes <dir>/meta.properties durably (durable_file.h) with `cluster_id` in place of `meta`'s,
// over the old file if there is one; returns the new contents. IoError when it cannot be written
// (the old file stays).
common::Result<MetaProperties> rewrite_cluster_id(const std::filesystem::path& dir,
                                                  const MetaProperties& meta,
                                                  const std::string& cluster_id);

// The file's text (Java properties).
std::string format_meta_properties(const MetaProperties& meta);

}  // namespace broker::cluster
