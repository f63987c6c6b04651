#include "broker/server/error_mapping.h"

#include "broker/cluster/errc.h"

namespace broker::server {

using common::protocol::ErrorCode;

namespace {
ErrorCode from_cluster(cluster::Errc e) {
    switch (e) {
        case cluster::Errc::Ok:
            return ErrorCode::None;
        case cluster::Errc::TopicAlreadyExists:
            return ErrorCode::TopicAlreadyExists;
        case cluster::Errc::UnknownTopic:
            return ErrorCode::UnknownTopicOrPartition;
        case cluster::Errc::InvalidTopicName:
            return ErrorCode::InvalidTopicException;
        case cluster::Errc::InvalidPartitions:
            return ErrorCode::InvalidPartitions;
        case cluster::Errc::InvalidReplicationFactor:
            return ErrorCode::InvalidReplicationFactor;
        case cluster::Errc::InvalidConfig:
            return ErrorCode::InvalidConfig;
        case cluster::Errc::PersistFailed:
            return ErrorCode::KafkaStorageError;
        case cluster::Errc::PartitionSetupFailed:
            return ErrorCode::KafkaStorageError;
        case cluster::Errc::NotController:
            return ErrorCode::NotController;
        case cluster::Errc::RequestTimedOut:
            return ErrorCode::RequestTimedOut;
        case cluster::Errc::ControllerFailed:
            return ErrorCode::UnknownServerError;
    }
    return ErrorCode::UnknownServerError;
}
}  // namespace

ErrorCode to_kafka_error(const std::error_code& error) {
    if (!error) return ErrorCode::None;
    if (error.category() == cluster::cluster_category()) {
        return from_cluster(static_cast<cluster::Errc>(error.value()));
    }
    return ErrorCode::UnknownServerError;
}

}  // namespace broker::server
