#include "broker/raft/messages.h"

namespace broker::raft {
namespace {

template <class... Fs>
struct Overload : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overload(Fs...) -> Overload<Fs...>;

}  // namespace

const MessageHeader& header_of(const Message& msg) {
    return std::visit([](const auto& m) -> const MessageHeader& { return m.header; }, msg);
}

MessageHeader& header_of(Message& msg) {
    return std::visit([](auto& m) -> MessageHeader& { return m.header; }, msg);
}

const char* kind_name(const Message& msg) {
    return std::visit(
        Overload{
            [](const VoteRequest& m) { return m.pre_vote ? "PreVoteRequest" : "VoteRequest"; },
            [](const VoteResponse& m) { return m.pre_vote ? "PreVoteResponse" : "VoteResponse"; },
            [](const AppendEntriesRequest&) { return "AppendEntriesRequest"; },
            [](const AppendEntriesResponse&) { return "AppendEntriesResponse"; },
            [](const HeartbeatRequest&) { return "HeartbeatRequest"; },
            [](const HeartbeatResponse&) { return "HeartbeatResponse"; },
            [](const InstallSnapshotRequest&) { return "InstallSnapshotRequest"; },
            [](const InstallSnapshotResponse&) { return "InstallSnapshotResponse"; },
            [](const TimeoutNow&) { return "TimeoutNow"; },
        },
        msg);
}

}  // namespace broker::raft
