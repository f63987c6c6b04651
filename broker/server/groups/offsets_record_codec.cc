#include "broker/server/groups/offsets_record_codec.h"

#include <optional>

#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::server::groups {

using common::protocol::Reader;
using common::protocol::Writer;

namespace {

constexpr int16_t kOffsetValueVersion = 3;
constexpr int16_t kOffsetValueVersionWithExpiry = 1;
constexpr int16_t kGroupValueVersion = 3;
constexpr int16_t kFirstFlexibleValueVersion = 4;

// The value's version, checked against [0, max].
common::Result<int16_t> read_version(Reader& r, int16_t max) {
    TRIBUTARY_TRY(version, r.read_int16());
    if (version < 0 || version > max) return common::Errc::Unsupported;
    return version;
}

// Nothing may follow a record's last field.
common::Result<void> expect_end(const Reader& r) {
    if (!r.at_end()) return common::Errc::Malformed;
    return common::ok();
}

common::Result<MemberRecord> read_member(Reader& r, int16_t version) {
    const bool flexible = version >= kFirstFlexibleValueVersion;
    MemberRecord m;
    TRIBUTARY_TRY(member_id, r.read_string(flexible));
    m.member_id = std::move(member_id);
    if (version >= 3) {
        TRIBUTARY_TRY(instance, r.read_nullable_string(flexible));
        m.group_instance_id = std::move(instance);
    }
    TRIBUTARY_TRY(client_id, r.read_string(flexible));
    m.client_id = std::move(client_id);
    TRIBUTARY_TRY(client_host, r.read_string(flexible));
    m.client_host = std::move(client_host);
    if (version >= 1) {
        TRIBUTARY_TRY(rebalance, r.read_int32());
        m.rebalance_timeout_ms = rebalance;
    }
    TRIBUTARY_TRY(session, r.read_int32());
    m.session_timeout_ms = session;
    // v0 has no rebalance timeout: Kafka takes the session timeout for it.
    if (version == 0) m.rebalance_timeout_ms = session;
    TRIBUTARY_TRY(subscription, r.read_bytes(flexible));
    m.subscription = std::move(subscription);
    TRIBUTARY_TRY(assignment, r.read_bytes(flexible));
    m.assignment = std::move(assignment);
    if (flexible) {
        TRIBUTARY_TRY(r.skip_tagged_fields());
    }
    return m;
}

// Appends the UTF-16 code units of one code point to the running Java hash.
void hash_code_point(uint32_t cp, uint32_t& h) {
    if (cp >= 0x10000) {
        cp -= 0x10000;
        h = h * 31 + (0xD800 + (cp >> 10));
        h = h * 31 + (0xDC00 + (cp & 0x3FF));
    } else {
        h = h * 31 + cp;
    }
}

// Length of the UTF-8 sequence led by `b` (0 for a byte that cannot lead one).
size_t utf8_length(uint8_t b) {
    if (b < 0x80) return 1;
    if ((b & 0xE0) == 0xC0) return b >= 0xC2 ? 2 : 0;
    if ((b & 0xF0) == 0xE0) return 3;
    if ((b & 0xF8) == 0xF0) return b <= 0xF4 ? 4 : 0;
    return 0;
}

// Decodes the sequence of `len` bytes at `p` (continuation bytes checked); nullopt if invalid.
std::optional<uint32_t> utf8_decode(const uint8_t* p, size_t len) {
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    uint32_t cp = len == 1 ? p[0] : p[0] & (0x7F >> len);
    for (size_t i = 1; i < len; ++i) {
        if ((p[i] & 0xC0) != 0x80) return std::nullopt;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    return cp;
}

}  // namespace

std::vector<uint8_t> encode_offset_key(std::string_view group, const TopicPartition& tp) {
    Writer w;
    w.write_int16(kOffsetKeyVersion);
    w.write_string(group, false);
    w.write_string(tp.topic, false);
    w.write_int32(tp.partition);
    return w.take();
}

std::vector<uint8_t> encode_group_key(std::string_view group) {
    Writer w;
    w.write_int16(kGroupKeyVersion);
    w.write_string(group, false);
    return w.take();
}

std::vector<uint8_t> encode_offset_value(const CommittedOffset& offset) {
    const bool with_expiry = offset.expire_timestamp_ms >= 0;
    Writer w;
    w.write_int16(with_expiry ? kOffsetValueVersionWithExpiry : kOffsetValueVersion);
    w.write_int64(offset.offset);
    if (!with_expiry) w.write_int32(offset.leader_epoch);
    w.write_string(offset.metadata.value_or(""), false);
    w.write_int64(offset.commit_timestamp_ms);
    if (with_expiry) w.write_int64(offset.expire_timestamp_ms);
    return w.take();
}

std::vector<uint8_t> encode_group_value(const GroupRecord& group) {
    Writer w;
    w.write_int16(kGroupValueVersion);
    w.write_string(group.protocol_type, false);
    w.write_int32(group.generation);
    w.write_nullable_string(group.protocol, false);
    w.write_nullable_string(group.leader, false);
    w.write_int64(group.current_state_timestamp_ms);
    w.write_array_length(static_cast<int32_t>(group.members.size()), false);
    for (const MemberRecord& m : group.members) {
        w.write_string(m.member_id, false);
        w.write_nullable_string(m.group_instance_id, false);
        w.write_string(m.client_id, false);
        w.write_string(m.client_host, false);
        w.write_int32(m.rebalance_timeout_ms);
        w.write_int32(m.session_timeout_ms);
        w.write_bytes(m.subscription, false);
        w.write_bytes(m.assignment, false);
    }
    return w.take();
}

common::Result<OffsetsTopicKey> decode_offsets_key(std::span<const uint8_t> key) {
    Reader r(key);
    TRIBUTARY_TRY(version, r.read_int16());
    if (version == 0 || version == 1) {
        OffsetRecordKey k;
        TRIBUTARY_TRY(group, r.read_string(false));
        TRIBUTARY_TRY(topic, r.read_string(false));
        TRIBUTARY_TRY(partition, r.read_int32());
        k.group = std::move(group);
        k.partition = TopicPartition{std::move(topic), partition};
        TRIBUTARY_TRY(expect_end(r));
        return OffsetsTopicKey(std::move(k));
    }
    if (version == kGroupKeyVersion) {
        TRIBUTARY_TRY(group, r.read_string(false));
        TRIBUTARY_TRY(expect_end(r));
        return OffsetsTopicKey(GroupRecordKey{std::move(group)});
    }
    return common::Errc::Unsupported;
}

common::Result<CommittedOffset> decode_offset_value(std::span<const uint8_t> value) {
    Reader r(value);
    TRIBUTARY_TRY(version, read_version(r, kFirstFlexibleValueVersion));
    const bool flexible = version >= kFirstFlexibleValueVersion;
    CommittedOffset out;
    TRIBUTARY_TRY(offset, r.read_int64());
    out.offset = offset;
    if (version >= 3) {
        TRIBUTARY_TRY(epoch, r.read_int32());
        out.leader_epoch = epoch;
    }
    TRIBUTARY_TRY(metadata, r.read_string(flexible));
    out.metadata = std::move(metadata);
    TRIBUTARY_TRY(commit_ts, r.read_int64());
    out.commit_timestamp_ms = commit_ts;
    if (version == 1) {
        TRIBUTARY_TRY(expire_ts, r.read_int64());
        out.expire_timestamp_ms = expire_ts;
    }
    if (flexible) {
        TRIBUTARY_TRY(r.skip_tagged_fields());
    }
    TRIBUTARY_TRY(expect_end(r));
    return out;
}

common::Result<GroupRecord> decode_group_value(std::span<const uint8_t> value) {
    Reader r(value);
    TRIBUTARY_TRY(version, read_version(r, kFirstFlexibleValueVersion));
    const bool flexible = version >= kFirstFlexibleValueVersion;
    GroupRecord out;
    TRIBUTARY_TRY(protocol_type, r.read_string(flexible));
    out.protocol_type = std::move(protocol_type);
    TRIBUTARY_TRY(generation, r.read_int32());
    out.generation = generation;
    TRIBUTARY_TRY(protocol, r.read_nullable_string(flexible));
    out.protocol = std::move(protocol);
    TRIBUTARY_TRY(leader, r.read_nullable_string(flexible));
    out.leader = std::move(leader);
    if (version >= 2) {
        TRIBUTARY_TRY(state_ts, r.read_int64());
        out.current_state_timestamp_ms = state_ts;
    }
    TRIBUTARY_TRY(count, r.read_array_length(flexible));
    if (count < 0) return common::Errc::Malformed;  // members is not nullable
    for (int32_t i = 0; i < count; ++i) {
        TRIBUTARY_TRY(member, read_member(r, version));
        out.members.push_back(std::move(member));
    }
    if (flexible) {
        TRIBUTARY_TRY(r.skip_tagged_fields());
    }
    TRIBUTARY_TRY(expect_end(r));
    return out;
}

int32_t java_string_hash(std::string_view s) {
    uint32_t h = 0;  // unsigned: Java's int arithmetic wraps
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    size_t i = 0;
    while (i < s.size()) {
        size_t len = utf8_length(p[i]);
        std::optional<uint32_t> cp;
        if (len != 0 && i + len <= s.size()) cp = utf8_decode(p + i, len);
        // An invalid byte becomes one U+FFFD and decoding resumes at the next byte.
        hash_code_point(cp.value_or(0xFFFD), h);
        i += cp ? len : 1;
    }
    return static_cast<int32_t>(h);
}

int32_t offsets_partition_for(std::string_view group_id, int32_t partitions) {
    const int32_t abs = java_string_hash(group_id) & 0x7fffffff;
    return partitions > 0 ? abs % partitions : 0;
}

}  // namespace broker::server::groups
