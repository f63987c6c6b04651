// Encodings checked by hand against the Kafka protocol rules, including what real clients send.

#include <gtest/gtest.h>

#include "common/protocol/headers.h"
#include "common/protocol/messages/api_versions.h"
#include "common/protocol/messages/metadata.h"
#include "common/protocol/messages/produce.h"

namespace common::protocol {
namespace {

Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) {
        out.insert(out.end(), p.begin(), p.end());
    }
    return out;
}

Bytes text(std::string_view s) {
    return Bytes(s.begin(), s.end());
}

TEST(ByteExact, LibrdkafkaApiVersionsV3RequestDecodes) {
    // librdkafka 2.0.2 opens every connection with ApiVersions v3: request header v2 (client id
    // with an int16 length, then an empty tag buffer) and a flexible body whose software
    // name and version are compact strings, then an empty tag buffer.
    const Bytes frame = concat({{0x00, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01},
                                {0x00, 0x07},
                                text("rdkafka"),
                                {0x00},
                                {0x0b},
                                text("librdkafka"),
                                {0x06},
                                text("2.0.2"),
                                {0x00}});
    Reader r(frame);
    auto header = read_request_header(r);
    ASSERT_TRUE(header);
    EXPECT_EQ(header.value().api_key, ApiKey::ApiVersions);
    EXPECT_EQ(header.value().api_version, 3);
    EXPECT_EQ(header.value().correlation_id, 1);
    EXPECT_EQ(header.value().client_id, "rdkafka");
    auto body = ApiVersionsRequest::read(r, 3);
    ASSERT_TRUE(body);
    EXPECT_EQ(body.value().client_software_name, "librdkafka");
    EXPECT_EQ(body.value().client_software_version, "2.0.2");
    EXPECT_TRUE(r.at_end());

    Writer w;
    write_request_header(w, header.value());
    body.value().write(w, 3);
    EXPECT_EQ(w.data(), frame);
}

TEST(ByteExact, MetadataV1RequestForOneTopic) {
    MetadataRequest req;
    req.topics = std::vector<MetadataRequest::MetadataRequestTopic>{{}};
    req.topics->at(0).name = "test";
    Writer w;
    write_request_header(w, RequestHeader{ApiKey::Metadata, 1, 2, "c"});
    req.write(w, 1);
    const Bytes expected = concat({{0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01},
                                   text("c"),
                                   {0x00, 0x00, 0x00, 0x01, 0x00, 0x04},
                                   text("test")});
    EXPECT_EQ(w.data(), expected);
}

TEST(ByteExact, MetadataV1NullTopicsMeansAllTopics) {
    const Bytes body = {0xff, 0xff, 0xff, 0xff};
    Reader r(body);
    auto req = MetadataRequest::read(r, 1);
    ASSERT_TRUE(req);
    EXPECT_FALSE(req.value().topics.has_value());
    Writer w;
    req.value().write(w, 1);
    EXPECT_EQ(w.data(), body);
}

TEST(ByteExact, MetadataV0CannotSayNullAndEmptyMeansAll) {
    const Bytes null_topics = {0xff, 0xff, 0xff, 0xff};
    Reader r(null_topics);
    EXPECT_FALSE(MetadataRequest::read(r, 0));
}

TEST(ByteExact, ApiVersionsV0Response) {
    ApiVersionsResponse resp;
    resp.api_keys = {{0, 0, 9}, {18, 0, 3}};
    Writer w;
    write_response_header(w, 9, response_header_version(ApiKey::ApiVersions, 0));
    resp.write(w, 0);
    const Bytes expected = {0, 0,    0, 9,         // correlation id
                            0, 0,                  // error code
                            0, 0,    0, 2,         // two entries
                            0, 0,    0, 0, 0, 9,   // Produce 0..9
                            0, 0x12, 0, 0, 0, 3};  // ApiVersions 0..3
    EXPECT_EQ(w.data(), expected);
}

TEST(ByteExact, ApiVersionsV3ResponseWritesOnlyNonDefaultTaggedFields) {
    ApiVersionsResponse resp;
    resp.api_keys = {{18, 0, 4}};
    resp.throttle_time_ms = 0;
    resp.finalized_features_epoch = 5;
    Writer w;
    resp.write(w, 3);
    const Bytes expected = {0,    0,                                 // error code
                            0x02,                                    // compact array: one entry
                            0,    0x12, 0, 0, 0, 4, 0x00,            // entry + its empty tag buffer
                            0,    0,    0, 0,                        // throttle time
                            0x01,                                    // one tagged field
                            0x01, 0x08, 0, 0, 0, 0, 0,    0, 0, 5};  // tag 1, 8 bytes: epoch 5
    EXPECT_EQ(w.data(), expected);
    Reader r(w.data());
    auto back = ApiVersionsResponse::read(r, 3);
    ASSERT_TRUE(back);
    EXPECT_TRUE(back.value() == resp);
}

TEST(ByteExact, UnknownTaggedFieldsAreSkipped) {
    const Bytes body = {
        0x0b, 'l', 'i', 'b', 'r', 'd',  'k',  'a',  'f',  'k',  'a', 0x06,
        '2',  '.', '0', '.', '2', 0x02, 0x09, 0x01, 0xaa, 0x0a, 0x00};  // tags 9 (1 byte) and 10
                                                                        // (empty)
    Reader r(body);
    auto req = ApiVersionsRequest::read(r, 3);
    ASSERT_TRUE(req);
    EXPECT_EQ(req.value().client_software_version, "2.0.2");
    EXPECT_TRUE(r.at_end());
}

TEST(ByteExact, ProduceV3RequestWithNullTransactionalId) {
    ProduceRequest req;
    req.acks = -1;
    req.timeout_ms = 1000;
    req.topic_data = {{"t", {{0, Bytes{0xde, 0xad}}}}};
    Writer w;
    req.write(w, 3);
    const Bytes expected = {0xff, 0xff,                                 // transactional id: null
                            0xff, 0xff,                                 // acks -1
                            0,    0,    0x03, 0xe8,                     // timeout 1000
                            0,    0,    0,    1,    0,    1,   't',     // one topic "t"
                            0,    0,    0,    1,    0,    0,   0,   0,  // one partition, index 0
                            0,    0,    0,    2,    0xde, 0xad};        // records
    EXPECT_EQ(w.data(), expected);
}

TEST(ByteExact, ProduceV9RequestUsesCompactFormsAndTagBuffers) {
    ProduceRequest req;
    req.acks = -1;
    req.timeout_ms = 1000;
    req.topic_data = {{"t", {{0, Bytes{0xde, 0xad}}}}};
    Writer w;
    req.write(w, 9);
    const Bytes expected = {0x00,                       // transactional id: compact null
                            0xff, 0xff,                 // acks -1
                            0,    0,    0x03, 0xe8,     // timeout 1000
                            0x02, 0x02, 't',            // one topic "t"
                            0x02, 0,    0,    0,    0,  // one partition, index 0
                            0x03, 0xde, 0xad,           // records, compact bytes
                            0x00, 0x00, 0x00};          // partition, topic, body tag buffers
    EXPECT_EQ(w.data(), expected);
    Reader r(w.data());
    auto back = ProduceRequest::read(r, 9);
    ASSERT_TRUE(back);
    EXPECT_TRUE(back.value() == req);
}

}  // namespace
}  // namespace common::protocol
