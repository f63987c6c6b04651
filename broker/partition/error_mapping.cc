#include "broker/partition/error_mapping.h"

#include "broker/partition/errc.h"
#include "common/errc.h"

namespace broker::partition {

using common::protocol::ErrorCode;

common::protocol::ErrorCode to_kafka_error(const std::error_code& ec) {
    if (!ec) return ErrorCode::None;
    if (ec.category() == partition_category()) {
        switch (static_cast<Errc>(ec.value())) {
            case Errc::Ok:
                return ErrorCode::None;
            case Errc::CorruptMessage:
                return ErrorCode::CorruptMessage;
            case Errc::UnsupportedMessageFormat:
                return ErrorCode::UnsupportedForMessageFormat;
            case Errc::MessageTooLarge:
                return ErrorCode::MessageTooLarge;
            case Errc::InvalidRecord:
                return ErrorCode::InvalidRecord;
            case Errc::OutOfOrderSequence:
                return ErrorCode::OutOfOrderSequenceNumber;
            case Errc::InvalidProducerEpoch:
                return ErrorCode::InvalidProducerEpoch;
            case Errc::UnknownProducerId:
                return ErrorCode::UnknownProducerId;
            case Errc::TransactionsUnsupported:
                return ErrorCode::InvalidTxnState;
            case Errc::OffsetOutOfRange:
                return ErrorCode::OffsetOutOfRange;
            case Errc::UnknownTopicOrPartition:
                return ErrorCode::UnknownTopicOrPartition;
            case Errc::UnknownLeaderEpoch:
                return ErrorCode::UnknownLeaderEpoch;
            case Errc::FencedLeaderEpoch:
                return ErrorCode::FencedLeaderEpoch;
            case Errc::StorageError:
                return ErrorCode::KafkaStorageError;
            case Errc::Shutdown:
                return ErrorCode::NotLeaderOrFollower;
            case Errc::NotLeaderOrFollower:
                return ErrorCode::NotLeaderOrFollower;
            case Errc::NotEnoughReplicas:
                return ErrorCode::NotEnoughReplicas;
        }
    }
    if (ec == common::Errc::IoError) return ErrorCode::KafkaStorageError;
    return ErrorCode::UnknownServerError;
}

}  // namespace broker::partition
