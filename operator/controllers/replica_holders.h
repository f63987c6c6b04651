#pragma once
// Scale-down safety. Nothing moves partition replicas off a broker yet, so the operator removes a
// broker pod only while that broker holds no replica: a removed broker's replicas would stay
// offline for good, and two of a partition's three could take its majority with them.
// ReplicaHolderReader asks the brokers (Metadata for every topic, internal ones included) how many
// replicas each broker id holds; KafkaReplicaHolderReader speaks Kafka through kop::kafka_admin,
// unit tests use a fake. Readers are called from reconcile workers; implementations must be
// thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "operator/kafka_admin/connection.h"

namespace kop::controllers {

using ReplicaCounts = std::map<int32_t, int>;  // broker id -> partition replicas it holds

class ReplicaHolderReader {
  public:
    virtual ~ReplicaHolderReader() = default;
    // The replicas per broker that the first of `addresses` ("host:port") to answer reports.
    virtual common::Result<ReplicaCounts> read(const std::vector<std::string>& addresses) = 0;
};

// Metadata over a fresh connection per call, each address bounded by `timeout`.
class KafkaReplicaHolderReader final : public ReplicaHolderReader {
  public:
    explicit KafkaReplicaHolderReader(kafka_admin::Duration timeout = std::chrono::seconds(3))
        : timeout_(timeout) {}
    common::Result<ReplicaCounts> read(const std::vector<std::string>& addresses) override;

  private:
    kafka_admin::Duration timeout_;
};

// The brokers that scaling to `replicas` pods would remove (ids >= replicas) and that still hold
// replicas, as "3 (12 replicas), 4 (1 replica)"; "" when there are none.
std::string removed_replica_holders(const ReplicaCounts& counts, int32_t replicas);

}  // namespace kop::controllers
