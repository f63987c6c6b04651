#pragma once
// Kafka's cluster id form: 16 bytes in URL-safe base64 without padding (22 characters). Shared
// by the broker (meta.properties, the cluster.id property, the metadata log) and the operator
// (which derives a KafkaCluster's id from its metadata.uid).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace common {

using ClusterIdBytes = std::array<uint8_t, 16>;

// The 22-character id of `bytes`.
std::string encode_cluster_id(const ClusterIdBytes& bytes);
// True when `id` is 22 characters of the URL-safe base64 alphabet that decode to 16 bytes.
bool is_valid_cluster_id(std::string_view id);
// The id of a UUID in its text form ("0f8fad5b-d9cb-469f-a165-70867728950e", hex digits in
// either case): its 16 bytes encoded, except that an id never starts with '-' (a first byte
// that would encode to '-' loses its top bit). nullopt when `uuid` is not such a text.
std::optional<std::string> cluster_id_from_uuid(std::string_view uuid);

}  // namespace common
