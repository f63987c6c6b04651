#include "broker/partition/errc.h"

#include <string>

namespace broker::partition {
namespace {

class PartitionCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "partition"; }
    std::string message(int code) const override {
        switch (static_cast<Errc>(code)) {
            case Errc::Ok:
                return "ok";
            case Errc::CorruptMessage:
                return "corrupt record batch";
            case Errc::UnsupportedMessageFormat:
                return "unsupported record batch magic";
            case Errc::MessageTooLarge:
                return "record batch larger than max.message.bytes";
            case Errc::InvalidRecord:
                return "record batch not acceptable";
            case Errc::OutOfOrderSequence:
                return "out of order sequence number";
            case Errc::InvalidProducerEpoch:
                return "stale producer epoch";
            case Errc::UnknownProducerId:
                return "unknown producer id";
            case Errc::TransactionsUnsupported:
                return "transactions are not supported yet";
            case Errc::OffsetOutOfRange:
                return "offset out of range";
            case Errc::UnknownTopicOrPartition:
                return "unknown topic or partition";
            case Errc::UnknownLeaderEpoch:
                return "leader epoch newer than the partition's";
            case Errc::FencedLeaderEpoch:
                return "leader epoch older than the partition's";
            case Errc::StorageError:
                return "storage error";
            case Errc::Shutdown:
                return "partition shutting down";
            case Errc::NotLeaderOrFollower:
                return "not the leader of this partition";
            case Errc::NotEnoughReplicas:
                return "fewer in-sync replicas than min.insync.replicas";
        }
        return "unknown partition error " + std::to_string(code);
    }
};

}  // namespace

const std::error_category& partition_category() noexcept {
    static const PartitionCategory category;
    return category;
}

}  // namespace broker::partition
