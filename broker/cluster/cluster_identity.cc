#include "broker/cluster/cluster_identity.h"

#include <charconv>

#include "broker/cluster/durable_file.h"
#include "broker/config/broker_config.h"
#include "common/cluster_id.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

std::optional<int32_t> to_int32(const std::string& s) {
    int32_t v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

common::Result<MetaProperties> parse_meta(const std::string& text, const std::string& where,
                                          std::string* error) {
    auto fail = [&](const std::string& why) -> common::Result<MetaProperties> {
        if (error) *error = where + ": " + why;
        return common::Errc::InvalidArgument;
    };
    std::string parse_error;
    auto props = config::parse_properties(text, &parse_error);
    if (!props) return fail(parse_error);
    const auto& p = props.value();
    MetaProperties meta;
    auto version = p.contains("version") ? to_int32(p.at("version")) : std::nullopt;
    if (!version || *version != MetaProperties::kVersion) {
        return fail("unsupported or missing version (expected version=1)");
    }
    auto node = p.contains("node.id") ? to_int32(p.at("node.id")) : std::nullopt;
    if (!node || *node < 0) return fail("missing or malformed node.id");
    meta.node_id = *node;
    meta.cluster_id = p.contains("cluster.id") ? p.at("cluster.id") : "";
    if (!is_valid_cluster_id(meta.cluster_id)) {
        return fail("missing or malformed cluster.id '" + meta.cluster_id + "'");
    }
    return meta;
}

}  // namespace

std::string generate_cluster_id(std::mt19937_64& rng) {
    // Like Kafka, never an id starting with '-' (command-line tools would take it for a flag).
    std::string id;
    do {
        common::ClusterIdBytes bytes;
        for (size_t i = 0; i < bytes.size(); i += 8) {
            uint64_t v = rng();
            for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<uint8_t>(v >> (8 * j));
        }
        id = common::encode_cluster_id(bytes);
    } while (id.front() == '-');
    return id;
}

std::string format_meta_properties(const MetaProperties& meta) {
    return "#\n# written by tributary-broker; do not edit\ncluster.id=" + meta.cluster_id +
           "\nnode.id=" + std::to_string(meta.node_id) +
           "\nversion=" + std::to_string(meta.version) + "\n";
}

common::Result<OpenedMetaProperties> open_meta_properties(const std::filesystem::path& dir,
                                                          int32_t node_id,
                                                          const std::string& configured_cluster_id,
                                                          std::string* error, bool write_new) {
    auto path = dir / MetaProperties::kFileName;
    auto text = read_whole_file(path);
    if (text) {
        TRIBUTARY_TRY(meta, parse_meta(text.value(), path.string(), error));
        if (meta.node_id != node_id) {
            if (error) {
                *error = path.string() + " belongs to node.id " + std::to_string(meta.node_id) +
                         " but this broker is configured with node.id " + std::to_string(node_id);
            }
            return common::Errc::InvalidArgument;
        }
        if (!configured_cluster_id.empty() && meta.cluster_id != configured_cluster_id) {
            if (error) {
                *error = path.string() + " belongs to cluster " + meta.cluster_id +
                         " but this broker is configured with cluster.id " + configured_cluster_id;
            }
            return common::Errc::InvalidArgument;
        }
        return OpenedMetaProperties{std::move(meta), false};
    }
    if (text.error() != common::Errc::NotFound) {
        if (error) *error = "cannot read " + path.string();
        return text.error();
    }
    if (!configured_cluster_id.empty() && !is_valid_cluster_id(configured_cluster_id)) {
        if (error) *error = "cluster.id '" + configured_cluster_id + "' is not a valid cluster id";
        return common::Errc::InvalidArgument;
    }
    std::string id = configured_cluster_id;
    if (id.empty()) {
        std::mt19937_64 rng{(uint64_t{std::random_device{}()} << 32) | std::random_device{}()};
        id = generate_cluster_id(rng);
    }
    MetaProperties meta{id, node_id, MetaProperties::kVersion};
    if (!write_new) {
        common::log::get("cluster")->info(
            "new cluster id {} for {}: written once the controller quorum settles the cluster's id",
            meta.cluster_id, path.string());
        return OpenedMetaProperties{std::move(meta), true};
    }
    if (auto written = write_file_durably(path, format_meta_properties(meta)); !written) {
        if (error) *error = "cannot write " + path.string();
        return written.error();
    }
    common::log::get("cluster")->info("{} cluster id {} written to {}",
                                      configured_cluster_id.empty() ? "new" : "configured",
                                      meta.cluster_id, path.string());
    return OpenedMetaProperties{std::move(meta), true};
}

common::Result<MetaProperties> load_or_create_meta_properties(const std::filesystem::path& dir,
                                                              int32_t node_id, std::string* error) {
    TRIBUTARY_TRY(opened, open_meta_properties(dir, node_id, "", error));
    return std::move(opened.meta);
}

common::Result<MetaProperties> rewrite_cluster_id(const std::filesystem::path& dir,
                                                  const MetaProperties& meta,
                                                  const std::string& cluster_id) {
    MetaProperties next = meta;
    next.cluster_id = cluster_id;
    TRIBUTARY_TRY(
        write_file_durably(dir / MetaProperties::kFileName, format_meta_properties(next)));
    return next;
}

}  // namespace broker::cluster
