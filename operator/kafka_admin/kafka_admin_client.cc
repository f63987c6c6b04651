#include "operator/kafka_admin/kafka_admin_client.h"

#include "common/log.h"
#include "common/protocol/error_code.h"
#include "common/protocol/headers.h"
#include "common/protocol/messages/api_versions.h"

namespace kop::kafka_admin {
namespace {

namespace proto = common::protocol;
using common::Result;

constexpr int16_t kUnsupportedVersion = static_cast<int16_t>(proto::ErrorCode::UnsupportedVersion);

// The error code every ApiVersions response starts with (its header is always v0).
Result<int16_t> leading_error_code(const proto::Bytes& payload) {
    proto::Reader reader(payload);
    auto code = reader.read_int16();
    if (!code) return Errc::MalformedResponse;
    return code.value();
}

}  // namespace

KafkaAdminClient::KafkaAdminClient(std::unique_ptr<Connection> connection, ClientOptions options)
    : connection_(std::move(connection)), options_(std::move(options)) {}

Result<std::unique_ptr<KafkaAdminClient>> KafkaAdminClient::connect(
    const std::vector<std::string>& bootstrap, ClientOptions options) {
    auto log = common::log::get("kafka-admin");
    std::error_code last = Errc::NoAddresses;
    for (const auto& text : bootstrap) {
        auto address = parse_address(text);
        if (!address) {
            last = address.error();
            log->debug("bootstrap address '{}': {}", text, last.message());
            continue;
        }
        auto connection = Connection::open(address.value(), options.timeout);
        if (!connection) {
            last = connection.error();
            log->debug("connect {}: {}", text, last.message());
            continue;
        }
        std::unique_ptr<KafkaAdminClient> client(
            new KafkaAdminClient(std::move(connection).value(), options));
        auto shaken = client->handshake();
        if (!shaken) {
            last = shaken.error();
            log->debug("ApiVersions with {}: {}", text, last.message());
            continue;
        }
        return client;
    }
    return last;
}

Result<void> KafkaAdminClient::handshake() {
    proto::ApiVersionsRequest request;
    request.client_software_name = "tributary-operator";
    request.client_software_version = "0.1.0";
    int16_t version =
        std::min(proto::ApiVersionsRequest::kMaxVersion, proto::ApiVersionsResponse::kMaxVersion);
    // At most two rounds: a broker that does not know our version answers in v0 with
    // UNSUPPORTED_VERSION and its own ApiVersions range (KIP-511); ask again in that range.
    for (int round = 0; round < 2; ++round) {
        proto::Writer body;
        request.write(body, version);
        TRIBUTARY_TRY(payload, exchange(proto::ApiKey::ApiVersions, version, body.data()));
        TRIBUTARY_TRY(code, leading_error_code(payload));
        if (code != kUnsupportedVersion) {
            TRIBUTARY_TRY(response, decode<proto::ApiVersionsResponse>(payload, version));
            if (response.error_code != 0) return kafka_error(response.error_code);
            versions_ = kafka_admin::broker_versions(response);
            return common::ok();
        }
        TRIBUTARY_TRY(fallback, decode<proto::ApiVersionsResponse>(payload, 0));
        TRIBUTARY_TRY(next, negotiate_version(kafka_admin::broker_versions(fallback),
                                              proto::ApiKey::ApiVersions, 0, version));
        if (next >= version) return Errc::UnsupportedVersion;
        version = next;
    }
    return Errc::UnsupportedVersion;
}

Result<proto::Bytes> KafkaAdminClient::exchange(proto::ApiKey key, int16_t version,
                                                std::span<const uint8_t> body) {
    const int32_t correlation_id = next_correlation_id_++;
    proto::Writer frame;
    proto::write_request_header(frame, {key, version, correlation_id, options_.client_id});
    frame.write_raw(body);
    TRIBUTARY_TRY(reply, connection_->round_trip(frame.data(), options_.timeout));
    proto::Reader reader(reply);
    auto got = proto::read_response_header(reader, proto::response_header_version(key, version));
    if (!got || got.value() != correlation_id) return Errc::MalformedResponse;
    return proto::Bytes(reply.begin() + static_cast<std::ptrdiff_t>(reader.position()),
                        reply.end());
}

Result<ClusterDescription> KafkaAdminClient::describe_cluster() {
    auto supported = negotiate_version(versions_, proto::ApiKey::DescribeCluster,
                                       proto::DescribeClusterRequest::kMinVersion,
                                       proto::DescribeClusterRequest::kMaxVersion);
    if (!supported) return describe_from_metadata();
    TRIBUTARY_TRY(response, send<proto::DescribeClusterResponse>(proto::DescribeClusterRequest{}));
    if (response.error_code != 0) return kafka_error(response.error_code);
    ClusterDescription out{response.cluster_id, response.controller_id, {}};
    for (auto& b : response.brokers) {
        out.brokers.push_back({b.broker_id, std::move(b.host), b.port, std::move(b.rack)});
    }
    return out;
}

Result<ClusterDescription> KafkaAdminClient::describe_from_metadata() {
    TRIBUTARY_TRY(response, metadata(std::vector<std::string>{}));
    // Metadata v2 is the first to carry the cluster id.
    if (!response.cluster_id) return Errc::UnsupportedVersion;
    ClusterDescription out{*response.cluster_id, response.controller_id, {}};
    for (auto& b : response.brokers) {
        out.brokers.push_back({b.node_id, std::move(b.host), b.port, std::move(b.rack)});
    }
    return out;
}

Result<proto::MetadataResponse> KafkaAdminClient::metadata(
    const std::optional<std::vector<std::string>>& topics) {
    proto::MetadataRequest request;
    request.allow_auto_topic_creation = false;
    if (topics) {
        for (const auto& name : *topics) {
            proto::MetadataRequest::MetadataRequestTopic t;
            t.name = name;
            request.topics->push_back(std::move(t));
        }
    } else {
        request.topics = std::nullopt;
    }
    // Version 0 reads an empty list as "every topic"; from version 1 on null means every topic.
    return send<proto::MetadataResponse>(request, 1);
}

}  // namespace kop::kafka_admin
