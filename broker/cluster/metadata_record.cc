#include "broker/cluster/metadata_record.h"

#include "common/errc.h"
#include "common/protocol/reader.h"
#include "common/protocol/writer.h"

namespace broker::cluster {
namespace {

using common::protocol::Bytes;
using common::protocol::Reader;
using common::protocol::Writer;

constexpr int16_t kRecordVersion = 0;
// PartitionChange version 1 adds the leader epoch (written only when it is set).
constexpr int16_t kPartitionChangeVersion = 1;

int16_t version_of(const MetadataRecord& record) {
    const auto* change = std::get_if<PartitionChangeRecord>(&record);
    return change != nullptr && change->leader_epoch ? kPartitionChangeVersion : kRecordVersion;
}

int16_t max_version(int16_t type) {
    return type == static_cast<int16_t>(RecordType::PartitionChange) ? kPartitionChangeVersion
                                                                     : kRecordVersion;
}
constexpr bool kCompact = false;

void write_ids(Writer& w, const std::vector<int32_t>& ids) {
    w.write_array_length(static_cast<int32_t>(ids.size()), kCompact);
    for (int32_t id : ids) w.write_int32(id);
}

void write_optional_ids(Writer& w, const std::optional<std::vector<int32_t>>& ids) {
    if (!ids) {
        w.write_array_length(-1, kCompact);
        return;
    }
    write_ids(w, *ids);
}

common::Result<std::optional<std::vector<int32_t>>> read_optional_ids(Reader& r) {
    TRIBUTARY_TRY(n, r.read_array_length(kCompact));
    if (n < 0) return std::optional<std::vector<int32_t>>{};
    std::vector<int32_t> ids;
    ids.reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) {
        TRIBUTARY_TRY(id, r.read_int32());
        ids.push_back(id);
    }
    return std::optional<std::vector<int32_t>>(std::move(ids));
}

common::Result<std::vector<int32_t>> read_ids(Reader& r) {
    TRIBUTARY_TRY(ids, read_optional_ids(r));
    if (!ids) return common::Errc::Malformed;
    return std::move(*ids);
}

void encode_fields(Writer& w, const RegisterBrokerRecord& r) {
    w.write_int32(r.broker_id);
    w.write_uuid(r.incarnation_id);
    w.write_int64(r.broker_epoch);
    w.write_nullable_string(r.rack, kCompact);
    w.write_array_length(static_cast<int32_t>(r.endpoints.size()), kCompact);
    for (const auto& e : r.endpoints) {
        w.write_string(e.name, kCompact);
        w.write_string(e.host, kCompact);
        w.write_uint16(e.port);
        w.write_string(e.security_protocol, kCompact);
    }
    w.write_bool(r.fenced);
}

void encode_fields(Writer& w, const UnregisterBrokerRecord& r) {
    w.write_int32(r.broker_id);
    w.write_int64(r.broker_epoch);
}

void encode_fields(Writer& w, const BrokerFencingRecord& r) {
    w.write_int32(r.broker_id);
    w.write_int64(r.broker_epoch);
    w.write_bool(r.fenced);
}

void encode_fields(Writer& w, const TopicRecord& r) {
    w.write_string(r.name, kCompact);
    w.write_uuid(r.topic_id);
}

void encode_fields(Writer& w, const PartitionRecord& r) {
    w.write_uuid(r.topic_id);
    w.write_int32(r.partition);
    write_ids(w, r.replicas);
    write_ids(w, r.isr);
    w.write_int32(r.leader);
    w.write_int32(r.leader_epoch);
    w.write_int32(r.partition_epoch);
}

void encode_fields(Writer& w, const PartitionChangeRecord& r) {
    w.write_uuid(r.topic_id);
    w.write_int32(r.partition);
    w.write_bool(r.leader.has_value());
    w.write_int32(r.leader.value_or(-1));
    write_optional_ids(w, r.isr);
    write_optional_ids(w, r.replicas);
    if (r.leader_epoch) w.write_int32(*r.leader_epoch);
}

void encode_fields(Writer& w, const ConfigRecord& r) {
    w.write_int8(static_cast<int8_t>(r.resource_type));
    w.write_string(r.resource_name, kCompact);
    w.write_string(r.name, kCompact);
    w.write_nullable_string(r.value, kCompact);
}

void encode_fields(Writer& w, const RemoveTopicRecord& r) {
    w.write_uuid(r.topic_id);
}

void encode_fields(Writer& w, const ClusterIdRecord& r) {
    w.write_string(r.cluster_id, kCompact);
}

common::Result<MetadataRecord> decode_register(Reader& r) {
    RegisterBrokerRecord out;
    TRIBUTARY_TRY(id, r.read_int32());
    TRIBUTARY_TRY(incarnation, r.read_uuid());
    TRIBUTARY_TRY(epoch, r.read_int64());
    TRIBUTARY_TRY(rack, r.read_nullable_string(kCompact));
    TRIBUTARY_TRY(count, r.read_array_length(kCompact));
    if (count < 0) return common::Errc::Malformed;
    for (int32_t i = 0; i < count; ++i) {
        BrokerEndpoint e;
        TRIBUTARY_TRY(name, r.read_string(kCompact));
        TRIBUTARY_TRY(host, r.read_string(kCompact));
        TRIBUTARY_TRY(port, r.read_uint16());
        TRIBUTARY_TRY(protocol, r.read_string(kCompact));
        out.endpoints.push_back({std::move(name), std::move(host), port, std::move(protocol)});
    }
    TRIBUTARY_TRY(fenced, r.read_bool());
    out.broker_id = id;
    out.incarnation_id = incarnation;
    out.broker_epoch = epoch;
    out.rack = std::move(rack);
    out.fenced = fenced;
    return MetadataRecord(std::move(out));
}

common::Result<MetadataRecord> decode_unregister(Reader& r) {
    TRIBUTARY_TRY(id, r.read_int32());
    TRIBUTARY_TRY(epoch, r.read_int64());
    return MetadataRecord(UnregisterBrokerRecord{id, epoch});
}

common::Result<MetadataRecord> decode_fencing(Reader& r) {
    TRIBUTARY_TRY(id, r.read_int32());
    TRIBUTARY_TRY(epoch, r.read_int64());
    TRIBUTARY_TRY(fenced, r.read_bool());
    return MetadataRecord(BrokerFencingRecord{id, epoch, fenced});
}

common::Result<MetadataRecord> decode_topic(Reader& r) {
    TRIBUTARY_TRY(name, r.read_string(kCompact));
    TRIBUTARY_TRY(id, r.read_uuid());
    return MetadataRecord(TopicRecord{std::move(name), id});
}

common::Result<MetadataRecord> decode_partition(Reader& r) {
    PartitionRecord out;
    TRIBUTARY_TRY(topic, r.read_uuid());
    TRIBUTARY_TRY(partition, r.read_int32());
    TRIBUTARY_TRY(replicas, read_ids(r));
    TRIBUTARY_TRY(isr, read_ids(r));
    TRIBUTARY_TRY(leader, r.read_int32());
    TRIBUTARY_TRY(leader_epoch, r.read_int32());
    TRIBUTARY_TRY(partition_epoch, r.read_int32());
    out.topic_id = topic;
    out.partition = partition;
    out.replicas = std::move(replicas);
    out.isr = std::move(isr);
    out.leader = leader;
    out.leader_epoch = leader_epoch;
    out.partition_epoch = partition_epoch;
    return MetadataRecord(std::move(out));
}

common::Result<MetadataRecord> decode_partition_change(Reader& r, int16_t version) {
    PartitionChangeRecord out;
    TRIBUTARY_TRY(topic, r.read_uuid());
    TRIBUTARY_TRY(partition, r.read_int32());
    TRIBUTARY_TRY(has_leader, r.read_bool());
    TRIBUTARY_TRY(leader, r.read_int32());
    TRIBUTARY_TRY(isr, read_optional_ids(r));
    TRIBUTARY_TRY(replicas, read_optional_ids(r));
    out.topic_id = topic;
    out.partition = partition;
    if (has_leader) out.leader = leader;
    out.isr = std::move(isr);
    out.replicas = std::move(replicas);
    if (version >= 1) {
        TRIBUTARY_TRY(epoch, r.read_int32());
        if (epoch < 0) return common::Errc::Malformed;
        out.leader_epoch = epoch;
    }
    return MetadataRecord(std::move(out));
}

common::Result<MetadataRecord> decode_config(Reader& r) {
    TRIBUTARY_TRY(type, r.read_int8());
    if (type != static_cast<int8_t>(ConfigResourceType::Topic) &&
        type != static_cast<int8_t>(ConfigResourceType::Broker)) {
        return common::Errc::Malformed;
    }
    TRIBUTARY_TRY(resource, r.read_string(kCompact));
    TRIBUTARY_TRY(name, r.read_string(kCompact));
    TRIBUTARY_TRY(value, r.read_nullable_string(kCompact));
    return MetadataRecord(ConfigRecord{static_cast<ConfigResourceType>(type), std::move(resource),
                                       std::move(name), std::move(value)});
}

common::Result<MetadataRecord> decode_remove_topic(Reader& r) {
    TRIBUTARY_TRY(id, r.read_uuid());
    return MetadataRecord(RemoveTopicRecord{id});
}

common::Result<MetadataRecord> decode_cluster_id(Reader& r) {
    TRIBUTARY_TRY(id, r.read_string(kCompact));
    return MetadataRecord(ClusterIdRecord{std::move(id)});
}

common::Result<MetadataRecord> decode_fields(RecordType type, int16_t version, Reader& r) {
    switch (type) {
        case RecordType::RegisterBroker:
            return decode_register(r);
        case RecordType::UnregisterBroker:
            return decode_unregister(r);
        case RecordType::BrokerFencing:
            return decode_fencing(r);
        case RecordType::Topic:
            return decode_topic(r);
        case RecordType::Partition:
            return decode_partition(r);
        case RecordType::PartitionChange:
            return decode_partition_change(r, version);
        case RecordType::Config:
            return decode_config(r);
        case RecordType::RemoveTopic:
            return decode_remove_topic(r);
        case RecordType::ClusterId:
            return decode_cluster_id(r);
    }
    return common::Errc::Unsupported;
}

}  // namespace

RecordType type_of(const MetadataRecord& record) {
    // The variant's alternatives are in RecordType order, starting at 1.
    return static_cast<RecordType>(record.index() + 1);
}

const char* record_type_name(RecordType type) {
    switch (type) {
        case RecordType::RegisterBroker:
            return "RegisterBroker";
        case RecordType::UnregisterBroker:
            return "UnregisterBroker";
        case RecordType::BrokerFencing:
            return "BrokerFencing";
        case RecordType::Topic:
            return "Topic";
        case RecordType::Partition:
            return "Partition";
        case RecordType::PartitionChange:
            return "PartitionChange";
        case RecordType::Config:
            return "Config";
        case RecordType::RemoveTopic:
            return "RemoveTopic";
        case RecordType::ClusterId:
            return "ClusterId";
    }
    return "Unknown";
}

Bytes encode_record(const MetadataRecord& record) {
    Writer w;
    w.write_int16(static_cast<int16_t>(type_of(record)));
    w.write_int16(version_of(record));
    std::visit([&w](const auto& r) { encode_fields(w, r); }, record);
    return w.take();
}

common::Result<MetadataRecord> decode_record(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(type, r.read_int16());
    TRIBUTARY_TRY(version, r.read_int16());
    if (type < static_cast<int16_t>(RecordType::RegisterBroker) ||
        type > static_cast<int16_t>(RecordType::ClusterId) || version > max_version(type)) {
        return common::Errc::Unsupported;
    }
    if (version < 0) return common::Errc::Malformed;
    TRIBUTARY_TRY(record, decode_fields(static_cast<RecordType>(type), version, r));
    if (!r.at_end()) return common::Errc::Malformed;
    return std::move(record);
}

Bytes encode_batch(const std::vector<MetadataRecord>& records) {
    Writer w;
    w.write_int32(static_cast<int32_t>(records.size()));
    for (const auto& record : records) {
        w.write_bytes(encode_record(record), kCompact);
    }
    return w.take();
}

common::Result<std::vector<MetadataRecord>> decode_batch(std::span<const uint8_t> bytes) {
    Reader r(bytes);
    TRIBUTARY_TRY(count, r.read_int32());
    // Each record takes at least its 4-byte length: a hostile count cannot over-allocate.
    if (count < 0 || static_cast<size_t>(count) > r.remaining() / 4) {
        return common::Errc::Malformed;
    }
    std::vector<MetadataRecord> records;
    records.reserve(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
        TRIBUTARY_TRY(length, r.read_int32());
        if (length < 0) return common::Errc::Malformed;
        TRIBUTARY_TRY(body, r.read_raw(static_cast<size_t>(length)));
        TRIBUTARY_TRY(record, decode_record(body));
        records.push_back(std::move(record));
    }
    if (!r.at_end()) return common::Errc::Malformed;
    return records;
}

}  // namespace broker::cluster
