#pragma once
// KafkaAdminClient: a small synchronous Kafka admin client on the project's generated codecs.
// connect() tries the bootstrap addresses in order and keeps the first broker that answers
// ApiVersions (KIP-511 fallback included); every request then uses the highest version both sides
// handle. send<Response>(request) sends any generated request type and decodes its response;
// describe_cluster() and metadata() are built on it. Every call is bounded by the timeout and
// every failure is a Result error (errc.h: transport failures, or a Kafka error code).
// One connection, used from one thread at a time (a reconcile worker); not thread-safe.

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/protocol/messages/describe_cluster.h"
#include "common/protocol/messages/metadata.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"
#include "common/result.h"
#include "operator/kafka_admin/api_versions.h"
#include "operator/kafka_admin/connection.h"
#include "operator/kafka_admin/errc.h"

namespace kop::kafka_admin {

struct ClientOptions {
    Duration timeout = std::chrono::seconds(5);  // per address when connecting, per request after
    std::string client_id = "tributary-operator";
};

struct BrokerInfo {
    int32_t id = -1;
    std::string host;
    int32_t port = 0;
    std::optional<std::string> rack;

    bool operator==(const BrokerInfo&) const = default;
};

struct ClusterDescription {
    std::string cluster_id;
    int32_t controller_id = -1;
    std::vector<BrokerInfo> brokers;
};

class KafkaAdminClient {
  public:
    // The first of `bootstrap` ("host:port") that connects and answers ApiVersions; otherwise
    // the error of the last address tried.
    static common::Result<std::unique_ptr<KafkaAdminClient>> connect(
        const std::vector<std::string>& bootstrap, ClientOptions options = {});

    // Sends `request` at the highest version both sides handle (at least `min_version`) and
    // decodes the reply. Kafka error codes inside the response are left to the caller.
    template <class Response, class Request>
    common::Result<Response> send(const Request& request,
                                  int16_t min_version = Request::kMinVersion) {
        static_assert(
            Request::kIsRequest && !Response::kIsRequest && Request::kApiKey == Response::kApiKey,
            "send<XResponse>(XRequest)");
        TRIBUTARY_TRY(version,
                      negotiate_version(versions_, Request::kApiKey,
                                        std::max(min_version, Response::kMinVersion),
                                        std::min(Request::kMaxVersion, Response::kMaxVersion)));
        common::protocol::Writer body;
        request.write(body, version);
        TRIBUTARY_TRY(payload, exchange(Request::kApiKey, version, body.data()));
        return decode<Response>(payload, version);
    }

    // Cluster id, controller and brokers: DescribeCluster, or Metadata when the broker predates
    // DescribeCluster. An error code in the reply becomes the Result's error.
    common::Result<ClusterDescription> describe_cluster();

    // Metadata for `topics`, or for every topic when nullopt (version 1 or later).
    common::Result<common::protocol::MetadataResponse> metadata(
        const std::optional<std::vector<std::string>>& topics);

    const Address& address() const { return connection_->address(); }
    const BrokerVersions& broker_versions() const { return versions_; }

  private:
    KafkaAdminClient(std::unique_ptr<Connection> connection, ClientOptions options);

    template <class Response>
    static common::Result<Response> decode(const common::protocol::Bytes& payload,
                                           int16_t version) {
        common::protocol::Reader reader(payload);
        auto decoded = Response::read(reader, version);
        if (!decoded) return Errc::MalformedResponse;
        return std::move(decoded).value();
    }

    common::Result<void> handshake();
    // Frames a request (header + body), sends it and returns the reply after its header.
    common::Result<common::protocol::Bytes> exchange(common::protocol::ApiKey key, int16_t version,
                                                     std::span<const uint8_t> body);
    common::Result<ClusterDescription> describe_from_metadata();

    std::unique_ptr<Connection> connection_;
    ClientOptions options_;
    BrokerVersions versions_;
    int32_t next_correlation_id_ = 1;
};

}  // namespace kop::kafka_admin
