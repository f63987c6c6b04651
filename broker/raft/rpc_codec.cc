#include "broker/raft/rpc_codec.h"

#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::raft {

using common::Errc;
using common::Result;
using common::protocol::Reader;
using common::protocol::Writer;

namespace {

constexpr uint16_t kVersion = 0;

// ---- encoding ----

void put_header(Writer& w, const MessageHeader& h) {
    w.write_int32(h.from.value());
    w.write_int32(h.to.value());
    w.write_int64(h.term.value());
}

void put_fields(Writer& w, const VoteRequest& m) {
    w.write_int64(m.last_log_index);
    w.write_int64(m.last_log_term.value());
    w.write_bool(m.pre_vote);
    w.write_bool(m.leadership_transfer);
}
void put_fields(Writer& w, const VoteResponse& m) {
    w.write_bool(m.pre_vote);
    w.write_bool(m.granted);
}
void put_fields(Writer& w, const AppendEntriesRequest& m) {
    w.write_int64(m.prev_log_index);
    w.write_int64(m.prev_log_term.value());
    w.write_int64(m.commit_index);
    w.write_int32(static_cast<int32_t>(m.entries.size()));
    for (const auto& e : m.entries) {
        w.write_int64(e.term.value());
        w.write_int64(e.index);
        w.write_int8(static_cast<int8_t>(e.type));
        w.write_bytes(e.payload, false);
    }
}
void put_fields(Writer& w, const AppendEntriesResponse& m) {
    w.write_bool(m.success);
    w.write_int64(m.request_prev_index);
    w.write_int64(m.match_index);
    w.write_int64(m.conflict_index);
    w.write_int64(m.conflict_term.value());
    w.write_int64(m.last_log_index);
}
void put_fields(Writer& w, const HeartbeatRequest& m) {
    w.write_int64(m.commit_index);
}
void put_fields(Writer&, const HeartbeatResponse&) {}
void put_fields(Writer& w, const InstallSnapshotRequest& m) {
    w.write_int64(m.meta.index);
    w.write_int64(m.meta.term.value());
    w.write_bytes(m.meta.membership.encode(), false);
    w.write_int64(static_cast<int64_t>(m.offset));
    w.write_bytes(m.data, false);
    w.write_bool(m.done);
}
void put_fields(Writer& w, const InstallSnapshotResponse& m) {
    w.write_int64(m.snapshot_index);
    w.write_int64(static_cast<int64_t>(m.next_offset));
    w.write_bool(m.done);
}
void put_fields(Writer&, const TimeoutNow&) {}

// ---- decoding ----

Result<int64_t> read_non_negative(Reader& r) {
    TRIBUTARY_TRY(v, r.read_int64());
    if (v < 0) return Errc::Malformed;
    return v;
}

Result<Term> read_term(Reader& r) {
    TRIBUTARY_TRY(v, read_non_negative(r));
    return Term(v);
}

Result<MessageHeader> read_header(Reader& r, GroupId group) {
    MessageHeader h;
    h.group = group;
    TRIBUTARY_TRY(from, r.read_int32());
    TRIBUTARY_TRY(to, r.read_int32());
    TRIBUTARY_TRY(term, read_term(r));
    h.from = NodeId(from);
    h.to = NodeId(to);
    h.term = term;
    return h;
}

Result<void> read_fields(Reader& r, VoteRequest& m) {
    TRIBUTARY_TRY(last_index, read_non_negative(r));
    TRIBUTARY_TRY(last_term, read_term(r));
    TRIBUTARY_TRY(pre_vote, r.read_bool());
    TRIBUTARY_TRY(transfer, r.read_bool());
    m.last_log_index = last_index;
    m.last_log_term = last_term;
    m.pre_vote = pre_vote;
    m.leadership_transfer = transfer;
    return common::ok();
}
Result<void> read_fields(Reader& r, VoteResponse& m) {
    TRIBUTARY_TRY(pre_vote, r.read_bool());
    TRIBUTARY_TRY(granted, r.read_bool());
    m.pre_vote = pre_vote;
    m.granted = granted;
    return common::ok();
}
Result<Entry> read_entry(Reader& r) {
    Entry e;
    TRIBUTARY_TRY(term, read_term(r));
    TRIBUTARY_TRY(index, read_non_negative(r));
    TRIBUTARY_TRY(type, r.read_int8());
    if (type < 0 || type > static_cast<int8_t>(EntryType::Noop)) return Errc::Malformed;
    TRIBUTARY_TRY(payload, r.read_bytes(false));
    e.term = term;
    e.index = index;
    e.type = static_cast<EntryType>(type);
    e.payload = std::move(payload);
    return e;
}
Result<void> read_fields(Reader& r, AppendEntriesRequest& m) {
    TRIBUTARY_TRY(prev_index, read_non_negative(r));
    TRIBUTARY_TRY(prev_term, read_term(r));
    TRIBUTARY_TRY(commit, read_non_negative(r));
    TRIBUTARY_TRY(count, r.read_array_length(false));
    if (count < 0) return Errc::Malformed;
    m.prev_log_index = prev_index;
    m.prev_log_term = prev_term;
    m.commit_index = commit;
    m.entries.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
        TRIBUTARY_TRY(entry, read_entry(r));
        m.entries.push_back(std::move(entry));
    }
    return common::ok();
}
Result<void> read_fields(Reader& r, AppendEntriesResponse& m) {
    TRIBUTARY_TRY(success, r.read_bool());
    TRIBUTARY_TRY(prev, read_non_negative(r));
    TRIBUTARY_TRY(match, read_non_negative(r));
    TRIBUTARY_TRY(conflict_index, read_non_negative(r));
    TRIBUTARY_TRY(conflict_term, read_term(r));
    TRIBUTARY_TRY(last, read_non_negative(r));
    m.success = success;
    m.request_prev_index = prev;
    m.match_index = match;
    m.conflict_index = conflict_index;
    m.conflict_term = conflict_term;
    m.last_log_index = last;
    return common::ok();
}
Result<void> read_fields(Reader& r, HeartbeatRequest& m) {
    TRIBUTARY_TRY(commit, read_non_negative(r));
    m.commit_index = commit;
    return common::ok();
}
Result<void> read_fields(Reader&, HeartbeatResponse&) {
    return common::ok();
}
Result<void> read_fields(Reader& r, InstallSnapshotRequest& m) {
    TRIBUTARY_TRY(index, read_non_negative(r));
    TRIBUTARY_TRY(term, read_term(r));
    TRIBUTARY_TRY(membership_bytes, r.read_bytes(false));
    TRIBUTARY_TRY(membership, Membership::decode(membership_bytes));
    TRIBUTARY_TRY(offset, read_non_negative(r));
    TRIBUTARY_TRY(data, r.read_bytes(false));
    TRIBUTARY_TRY(done, r.read_bool());
    m.meta = SnapshotMeta{index, term, std::move(membership)};
    m.offset = static_cast<uint64_t>(offset);
    m.data = std::move(data);
    m.done = done;
    return common::ok();
}
Result<void> read_fields(Reader& r, InstallSnapshotResponse& m) {
    TRIBUTARY_TRY(index, read_non_negative(r));
    TRIBUTARY_TRY(next, read_non_negative(r));
    TRIBUTARY_TRY(done, r.read_bool());
    m.snapshot_index = index;
    m.next_offset = static_cast<uint64_t>(next);
    m.done = done;
    return common::ok();
}
Result<void> read_fields(Reader&, TimeoutNow&) {
    return common::ok();
}

// Decodes the alternative at variant index I (compile-time dispatch over the kinds).
template <size_t I>
Result<Message> decode_kind(size_t kind, Reader& r, const MessageHeader& h) {
    if constexpr (I == std::variant_size_v<Message>) {
        return Errc::Malformed;
    } else {
        if (kind != I) return decode_kind<I + 1>(kind, r, h);
        std::variant_alternative_t<I, Message> m;
        m.header = h;
        TRIBUTARY_TRY(read_fields(r, m));
        return Message(std::move(m));
    }
}

Result<std::pair<NodeId, NodeId>> read_pair(Reader& r) {
    TRIBUTARY_TRY(from, r.read_int32());
    TRIBUTARY_TRY(to, r.read_int32());
    return std::pair{NodeId(from), NodeId(to)};
}

Result<void> check_frame(const FrameView& frame, RpcApi api) {
    if (frame.header.api != api) return Errc::Malformed;
    if (frame.header.version != kVersion) return Errc::Unsupported;
    return common::ok();
}

}  // namespace

std::vector<uint8_t> encode_message(const Message& msg) {
    Writer w;
    w.write_int8(static_cast<int8_t>(msg.index()));
    const MessageHeader& h = header_of(msg);
    put_header(w, h);
    std::visit([&w](const auto& m) { put_fields(w, m); }, msg);
    return make_frame(
        FrameHeader{RpcApi::RaftMessage, kVersion, static_cast<uint64_t>(h.group.value())},
        w.data());
}

Result<Message> decode_message(const FrameView& frame) {
    TRIBUTARY_TRY(check_frame(frame, RpcApi::RaftMessage));
    Reader r(frame.payload);
    TRIBUTARY_TRY(kind, r.read_int8());
    if (kind < 0) return Errc::Malformed;
    TRIBUTARY_TRY(header, read_header(r, GroupId(static_cast<int64_t>(frame.header.group))));
    TRIBUTARY_TRY(msg, decode_kind<0>(static_cast<size_t>(kind), r, header));
    if (!r.at_end()) return Errc::Malformed;
    return std::move(msg);
}

std::vector<uint8_t> encode_heartbeat_batch(std::span<const HeartbeatRequest> heartbeats) {
    Writer w;
    w.write_int32(heartbeats.empty() ? -1 : heartbeats.front().header.from.value());
    w.write_int32(heartbeats.empty() ? -1 : heartbeats.front().header.to.value());
    w.write_int32(static_cast<int32_t>(heartbeats.size()));
    for (const auto& hb : heartbeats) {
        w.write_int64(hb.header.group.value());
        w.write_int64(hb.header.term.value());
        w.write_int64(hb.commit_index);
    }
    return make_frame(FrameHeader{RpcApi::HeartbeatBatch, kVersion, 0}, w.data());
}

std::vector<uint8_t> encode_heartbeat_response_batch(std::span<const HeartbeatResponse> responses) {
    Writer w;
    w.write_int32(responses.empty() ? -1 : responses.front().header.from.value());
    w.write_int32(responses.empty() ? -1 : responses.front().header.to.value());
    w.write_int32(static_cast<int32_t>(responses.size()));
    for (const auto& resp : responses) {
        w.write_int64(resp.header.group.value());
        w.write_int64(resp.header.term.value());
    }
    return make_frame(FrameHeader{RpcApi::HeartbeatResponseBatch, kVersion, 0}, w.data());
}

Result<std::vector<HeartbeatRequest>> decode_heartbeat_batch(const FrameView& frame) {
    TRIBUTARY_TRY(check_frame(frame, RpcApi::HeartbeatBatch));
    Reader r(frame.payload);
    TRIBUTARY_TRY(ids, read_pair(r));
    TRIBUTARY_TRY(count, r.read_array_length(false));
    if (count < 0) return Errc::Malformed;
    std::vector<HeartbeatRequest> out;
    out.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
        HeartbeatRequest hb;
        TRIBUTARY_TRY(group, r.read_int64());
        TRIBUTARY_TRY(term, read_term(r));
        TRIBUTARY_TRY(commit, read_non_negative(r));
        hb.header = MessageHeader{GroupId(group), ids.first, ids.second, term};
        hb.commit_index = commit;
        out.push_back(hb);
    }
    if (!r.at_end()) return Errc::Malformed;
    return out;
}

Result<std::vector<HeartbeatResponse>> decode_heartbeat_response_batch(const FrameView& frame) {
    TRIBUTARY_TRY(check_frame(frame, RpcApi::HeartbeatResponseBatch));
    Reader r(frame.payload);
    TRIBUTARY_TRY(ids, read_pair(r));
    TRIBUTARY_TRY(count, r.read_array_length(false));
    if (count < 0) return Errc::Malformed;
    std::vector<HeartbeatResponse> out;
    out.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
        TRIBUTARY_TRY(group, r.read_int64());
        TRIBUTARY_TRY(term, read_term(r));
        out.push_back(
            HeartbeatResponse{MessageHeader{GroupId(group), ids.first, ids.second, term}});
    }
    if (!r.at_end()) return Errc::Malformed;
    return out;
}

}  // namespace broker::raft
