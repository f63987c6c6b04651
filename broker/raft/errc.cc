#include "broker/raft/errc.h"

#include <string>

namespace broker::raft {
namespace {

class RaftCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "raft"; }
    std::string message(int code) const override {
        switch (static_cast<Errc>(code)) {
            case Errc::Ok:
                return "ok";
            case Errc::NotLeader:
                return "not the leader";
            case Errc::LeaderNotReady:
                return "leader has not committed an entry of its term yet";
            case Errc::ConfigChangeInProgress:
                return "a membership change is in progress";
            case Errc::TransferInProgress:
                return "a leadership transfer is in progress";
            case Errc::UnknownMember:
                return "no such member";
            case Errc::AlreadyMember:
                return "already a member";
            case Errc::InvalidMembership:
                return "invalid membership change";
            case Errc::NotCaughtUp:
                return "member has not caught up with the leader";
            case Errc::Compacted:
                return "index covered by the snapshot";
            case Errc::Unavailable:
                return "index past the end of the log";
            case Errc::StorageFailed:
                return "log storage failed";
            case Errc::Malformed:
                return "malformed payload";
            case Errc::NotStarted:
                return "raft node not started";
        }
        return "unknown raft error " + std::to_string(code);
    }
};

}  // namespace

const std::error_category& raft_category() noexcept {
    static const RaftCategory category;
    return category;
}

}  // namespace broker::raft
