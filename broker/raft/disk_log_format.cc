#include "broker/raft/disk_log_format.h"

#include <charconv>

#include <fmt/format.h>

#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/records/crc32c.h"
#include "common/protocol/writer.h"

namespace broker::raft::disk {

using common::Errc;
using common::protocol::Reader;
using common::protocol::Writer;
using common::records::crc32c;

namespace {

constexpr uint32_t kHardStateMagic = 0x54524853;  // "TRHS"
constexpr uint32_t kSnapshotMagic = 0x5452534e;   // "TRSN"
constexpr uint16_t kFormatVersion = 1;
constexpr size_t kSegmentDigits = 20;

bool valid_type(int8_t type) {
    return type >= 0 && type <= static_cast<int8_t>(EntryType::Noop);
}

// Checks and strips the trailing CRC32C of a small file.
common::Result<std::span<const uint8_t>> checked_body(std::span<const uint8_t> file) {
    if (file.size() < 4) return Errc::Truncated;
    auto body = file.first(file.size() - 4);
    Reader r(file.subspan(body.size()));
    TRIBUTARY_TRY(crc, r.read_uint32());
    if (crc != crc32c(body)) return Errc::CorruptData;
    return body;
}

}  // namespace

size_t record_size(const Entry& entry) {
    return kRecordHeaderBytes + kRecordBodyFixedBytes + entry.payload.size();
}

void append_record(std::vector<uint8_t>& out, const Entry& entry) {
    Writer body;
    body.write_int64(entry.index);
    body.write_int64(entry.term.value());
    body.write_int8(static_cast<int8_t>(entry.type));
    body.write_raw(entry.payload);
    Writer head;
    head.write_uint32(static_cast<uint32_t>(body.size()));
    head.write_uint32(crc32c(body.data()));
    out.insert(out.end(), head.data().begin(), head.data().end());
    out.insert(out.end(), body.data().begin(), body.data().end());
}

std::optional<RecordView> decode_record(std::span<const uint8_t> data, uint32_t max_body_bytes) {
    Reader r(data);
    auto size = r.read_uint32();
    auto crc = r.read_uint32();
    if (!size || !crc || size.value() < kRecordBodyFixedBytes || size.value() > max_body_bytes) {
        return std::nullopt;
    }
    auto body = r.read_raw(size.value());
    if (!body || crc32c(body.value()) != crc.value()) return std::nullopt;
    Reader b(body.value());
    auto index = b.read_int64();
    auto term = b.read_int64();
    auto type = b.read_int8();
    if (!index || !term || !type || !valid_type(type.value())) return std::nullopt;
    RecordView view;
    view.entry.index = index.value();
    view.entry.term = Term(term.value());
    view.entry.type = static_cast<EntryType>(type.value());
    auto payload = body.value().subspan(kRecordBodyFixedBytes);
    view.entry.payload.assign(payload.begin(), payload.end());
    view.size = kRecordHeaderBytes + size.value();
    return view;
}

std::vector<uint8_t> encode_hard_state(const HardState& state) {
    Writer w;
    w.write_uint32(kHardStateMagic);
    w.write_uint16(kFormatVersion);
    w.write_int64(state.term.value());
    w.write_int32(state.voted_for.value());
    w.write_uint32(crc32c(w.data()));
    return w.take();
}

common::Result<HardState> decode_hard_state(std::span<const uint8_t> data) {
    TRIBUTARY_TRY(body, checked_body(data));
    Reader r(body);
    TRIBUTARY_TRY(magic, r.read_uint32());
    TRIBUTARY_TRY(version, r.read_uint16());
    if (magic != kHardStateMagic) return Errc::Malformed;
    if (version != kFormatVersion) return Errc::Unsupported;
    TRIBUTARY_TRY(term, r.read_int64());
    TRIBUTARY_TRY(voted_for, r.read_int32());
    if (!r.at_end() || term < 0) return Errc::Malformed;
    return HardState{Term(term), NodeId(voted_for)};
}

std::vector<uint8_t> encode_snapshot(const SnapshotMeta& meta, std::span<const uint8_t> data) {
    Writer w;
    w.write_uint32(kSnapshotMagic);
    w.write_uint16(kFormatVersion);
    w.write_int64(meta.index);
    w.write_int64(meta.term.value());
    auto membership = meta.membership.encode();
    w.write_uint32(static_cast<uint32_t>(membership.size()));
    w.write_raw(membership);
    w.write_int64(static_cast<int64_t>(data.size()));
    w.write_raw(data);
    w.write_uint32(crc32c(w.data()));
    return w.take();
}

common::Result<SnapshotFile> decode_snapshot(std::span<const uint8_t> file) {
    TRIBUTARY_TRY(body, checked_body(file));
    Reader r(body);
    TRIBUTARY_TRY(magic, r.read_uint32());
    TRIBUTARY_TRY(version, r.read_uint16());
    if (magic != kSnapshotMagic) return Errc::Malformed;
    if (version != kFormatVersion) return Errc::Unsupported;
    SnapshotFile out;
    TRIBUTARY_TRY(index, r.read_int64());
    TRIBUTARY_TRY(term, r.read_int64());
    TRIBUTARY_TRY(membership_size, r.read_uint32());
    TRIBUTARY_TRY(membership_bytes, r.read_raw(membership_size));
    TRIBUTARY_TRY(membership, Membership::decode(membership_bytes));
    TRIBUTARY_TRY(data_size, r.read_int64());
    if (data_size < 0 || static_cast<uint64_t>(data_size) != r.remaining()) return Errc::Malformed;
    TRIBUTARY_TRY(data, r.read_raw(static_cast<size_t>(data_size)));
    if (index < 0 || term < 0) return Errc::Malformed;
    out.meta = SnapshotMeta{index, Term(term), std::move(membership)};
    out.data.assign(data.begin(), data.end());
    return out;
}

std::string segment_name(Index first_index) {
    return fmt::format("{:020d}{}", first_index, kSegmentSuffix);
}

std::optional<Index> parse_segment_name(const std::string& name) {
    std::string_view suffix(kSegmentSuffix);
    if (name.size() != kSegmentDigits + suffix.size() || !name.ends_with(suffix)) {
        return std::nullopt;
    }
    Index index = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + kSegmentDigits, index);
    if (ec != std::errc() || end != name.data() + kSegmentDigits || index < 1) return std::nullopt;
    return index;
}

common::Result<void> write_file_atomically(storage::FileIo& io, const std::string& dir,
                                           const std::string& name,
                                           std::span<const uint8_t> bytes) {
    auto tmp = storage::join_path(dir, name + ".tmp");
    TRIBUTARY_TRY(file, io.open(tmp, storage::OpenMode::Truncate));
    TRIBUTARY_TRY(file->append(bytes));
    TRIBUTARY_TRY(file->sync());
    TRIBUTARY_TRY(io.rename(tmp, storage::join_path(dir, name)));
    return io.sync_dir(dir);
}

common::Result<Bytes> read_whole_file(storage::FileIo& io, const std::string& path) {
    if (!io.exists(path)) return Errc::NotFound;
    TRIBUTARY_TRY(file, io.open(path, storage::OpenMode::Read));
    Bytes out(file->size());
    size_t done = 0;
    while (done < out.size()) {
        TRIBUTARY_TRY(n, file->pread(done, std::span(out).subspan(done)));
        if (n == 0) break;
        done += n;
    }
    out.resize(done);
    return out;
}

}  // namespace broker::raft::disk
