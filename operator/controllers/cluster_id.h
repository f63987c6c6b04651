#pragma once
// The cluster id in KafkaCluster status comes from the brokers themselves: DescribeCluster on the
// internal PLAINTEXT listener of the ready broker pods (their status.podIP). ClusterIdReader is
// the seam (KafkaClusterIdReader speaks Kafka through kop::kafka_admin; unit tests use a fake).
// Readers are called from reconcile workers; implementations must be thread-safe.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "operator/api/v1alpha1/kafka_cluster.h"
#include "operator/kafka_admin/connection.h"

namespace kop::controllers {

class ClusterIdReader {
  public:
    virtual ~ClusterIdReader() = default;
    // The cluster id the first of `addresses` ("host:port") to answer reports.
    virtual common::Result<std::string> read(const std::vector<std::string>& addresses) = 0;
};

// DescribeCluster over a fresh connection per call, each address bounded by `timeout`.
class KafkaClusterIdReader final : public ClusterIdReader {
  public:
    explicit KafkaClusterIdReader(kafka_admin::Duration timeout = std::chrono::seconds(3))
        : timeout_(timeout) {}
    common::Result<std::string> read(const std::vector<std::string>& addresses) override;

  private:
    kafka_admin::Duration timeout_;
};

// The first listener of the cluster that is internal, without TLS and without authentication.
const api::v1alpha1::Listener* plaintext_internal_listener(const api::v1alpha1::KafkaCluster& c);

// "podIP:port" of each ready broker pod on that listener, in pod order; empty when the cluster
// has no such listener or no ready pod with an IP.
std::vector<std::string> broker_addresses(const api::v1alpha1::KafkaCluster& cluster,
                                          const std::vector<nlohmann::json>& pods);

}  // namespace kop::controllers
