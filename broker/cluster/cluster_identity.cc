#include "broker/cluster/cluster_identity.h"

#include <charconv>

#include "broker/cluster/durable_file.h"
#include "broker/config/broker_config.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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

namespace {
std::string encode_id(std::mt19937_64& rng) {
    uint8_t bytes[16];
    for (size_t i = 0; i < 16; i += 8) {
        uint64_t v = rng();
        for (size_t j = 0; j < 8; ++j) bytes[i + j] = static_cast<uint8_t>(v >> (8 * j));
    }
    // 16 bytes = 5 groups of 3 bytes (20 characters) + 1 byte (2 characters), no padding.
    std::string out;
    for (size_t i = 0; i < 15; i += 3) {
        uint32_t n = (uint32_t{bytes[i]} << 16) | (uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
    }
    out += kAlphabet[bytes[15] >> 2];
    out += kAlphabet[(bytes[15] & 3) << 4];
    return out;
}
}  // namespace

std::string generate_cluster_id(std::mt19937_64& rng) {
    // Like Kafka, never an id starting with '-' (command-line tools would take it for a flag).
    std::string id;
    do {
        id = encode_id(rng);
    } while (id.front() == '-');
    return id;
}

bool is_valid_cluster_id(const std::string& id) {
    if (id.size() != 22) return false;
    for (char c : id) {
        if (std::string_view(kAlphabet).find(c) == std::string_view::npos) return false;
    }
    // The last character carries 2 bits of data and 4 zero bits.
    return (std::string_view(kAlphabet).find(id.back()) & 15) == 0;
}

std::string format_meta_properties(const MetaProperties& meta) {
    return "#\n# written by tributary-broker; do not edit\ncluster.id=" + meta.cluster_id +
           "\nnode.id=" + std::to_string(meta.node_id) +
           "\nversion=" + std::to_string(meta.version) + "\n";
}

common::Result<MetaProperties> load_or_create_meta_properties(const std::filesystem::path& dir,
                                                              int32_t node_id, std::string* error) {
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
        return meta;
    }
    if (text.error() != common::Errc::NotFound) {
        if (error) *error = "cannot read " + path.string();
        return text.error();
    }
    std::mt19937_64 rng{(uint64_t{std::random_device{}()} << 32) | std::random_device{}()};
    MetaProperties meta{generate_cluster_id(rng), node_id, MetaProperties::kVersion};
    if (auto written = write_file_durably(path, format_meta_properties(meta)); !written) {
        if (error) *error = "cannot write " + path.string();
        return written.error();
    }
    common::log::get("cluster")->info("new cluster id {} written to {}", meta.cluster_id,
                                      path.string());
    return meta;
}

}  // namespace broker::cluster
