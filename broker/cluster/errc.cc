#include "broker/cluster/errc.h"

#include <string>

namespace broker::cluster {
namespace {

class ClusterCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "cluster"; }
    std::string message(int code) const override {
        switch (static_cast<Errc>(code)) {
            case Errc::Ok:
                return "ok";
            case Errc::TopicAlreadyExists:
                return "topic already exists";
            case Errc::UnknownTopic:
                return "unknown topic";
            case Errc::InvalidTopicName:
                return "invalid topic name";
            case Errc::InvalidPartitions:
                return "invalid number of partitions";
            case Errc::InvalidReplicationFactor:
                return "invalid replication factor";
            case Errc::InvalidConfig:
                return "invalid topic config";
            case Errc::PersistFailed:
                return "could not persist the topic table";
            case Errc::PartitionSetupFailed:
                return "could not create or remove a partition";
            case Errc::NotController:
                return "not the controller";
            case Errc::RequestTimedOut:
                return "request timed out";
            case Errc::ControllerFailed:
                return "the controller failed";
        }
        return "unknown cluster error " + std::to_string(code);
    }
};

}  // namespace

const std::error_category& cluster_category() noexcept {
    static const ClusterCategory category;
    return category;
}

}  // namespace broker::cluster
