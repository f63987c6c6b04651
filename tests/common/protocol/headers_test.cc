#include <gtest/gtest.h>

#include "common/protocol/api_table.h"
#include "common/protocol/headers.h"

namespace common::protocol {
namespace {

TEST(Headers, RequestHeaderVersionFollowsFlexibleVersions) {
    EXPECT_EQ(request_header_version(ApiKey::Produce, 8), 1);
    EXPECT_EQ(request_header_version(ApiKey::Produce, 9), 2);
    EXPECT_EQ(request_header_version(ApiKey::ApiVersions, 2), 1);
    EXPECT_EQ(request_header_version(ApiKey::ApiVersions, 3), 2);
    EXPECT_EQ(request_header_version(ApiKey::Metadata, 9), 2);
    EXPECT_EQ(request_header_version(ApiKey::ControlledShutdown, 0), 0);
}

TEST(Headers, NewerVersionOfAFlexibleApiStillReadsTheFlexibleHeader) {
    // A newer client's ApiVersions v9 request: header v2, so the tag buffer is consumed.
    const Bytes b = {0, 0x12, 0, 9, 0, 0, 0, 1, 0, 1, 'x', 0x00, 0xaa};
    Reader r(b);
    auto h = read_request_header(r);
    ASSERT_TRUE(h);
    EXPECT_EQ(h.value().api_version, 9);
    EXPECT_EQ(r.remaining(), 1u);
}

TEST(Headers, ApiVersionsResponsesAlwaysUseHeaderZero) {
    EXPECT_EQ(response_header_version(ApiKey::ApiVersions, 3), 0);
    EXPECT_EQ(response_header_version(ApiKey::ApiVersions, 4), 0);
    EXPECT_EQ(response_header_version(ApiKey::Fetch, 11), 0);
    EXPECT_EQ(response_header_version(ApiKey::Fetch, 12), 1);
}

TEST(Headers, RequestHeaderV2RoundTripsWithClassicClientId) {
    const RequestHeader h{ApiKey::Metadata, 12, 77, "cli"};
    Writer w;
    write_request_header(w, h);
    const Bytes expected = {0, 3, 0, 12, 0, 0, 0, 77, 0, 3, 'c', 'l', 'i', 0};
    EXPECT_EQ(w.data(), expected);
    Reader r(w.data());
    EXPECT_EQ(read_request_header(r).value(), h);
    EXPECT_TRUE(r.at_end());
}

TEST(Headers, RequestHeaderV1HasNoTagBufferAndNullClientId) {
    const RequestHeader h{ApiKey::Produce, 3, -5, std::nullopt};
    Writer w;
    write_request_header(w, h);
    const Bytes expected = {0, 0, 0, 3, 0xff, 0xff, 0xff, 0xfb, 0xff, 0xff};
    EXPECT_EQ(w.data(), expected);
    Reader r(w.data());
    EXPECT_EQ(read_request_header(r).value(), h);
}

TEST(Headers, UnknownApiKeyComesBackRaw) {
    const Bytes b = {0x7f, 0x00, 0, 1, 0, 0, 0, 9, 0, 1, 'x'};
    Reader r(b);
    auto h = read_request_header(r);
    ASSERT_TRUE(h);
    EXPECT_EQ(static_cast<int16_t>(h.value().api_key), 0x7f00);
    EXPECT_EQ(h.value().client_id, "x");
}

TEST(Headers, EveryPrefixOfAFlexibleHeaderFails) {
    Writer w;
    write_request_header(w, RequestHeader{ApiKey::CreateTopics, 5, 1, "c"});
    for (size_t n = 0; n < w.size(); ++n) {
        Reader r(std::span<const uint8_t>(w.data()).first(n));
        EXPECT_FALSE(read_request_header(r)) << n;
    }
}

TEST(Headers, FlexibleResponseHeaderEndsWithEmptyTagBuffer) {
    Writer w;
    write_response_header(w, 7, 1);
    EXPECT_EQ(w.data(), (Bytes{0, 0, 0, 7, 0}));
    Reader r(w.data());
    EXPECT_EQ(read_response_header(r, 1).value(), 7);
    EXPECT_TRUE(r.at_end());
    Writer w0;
    write_response_header(w0, 7, 0);
    EXPECT_EQ(w0.data(), (Bytes{0, 0, 0, 7}));
}

TEST(ApiTable, DefinedApisAreSortedAndConsistent) {
    auto apis = defined_apis();
    ASSERT_FALSE(apis.empty());
    for (size_t i = 0; i < apis.size(); ++i) {
        if (i > 0) {
            EXPECT_LT(static_cast<int>(apis[i - 1].key), static_cast<int>(apis[i].key));
        }
        EXPECT_LE(apis[i].min_version, apis[i].max_version);
        EXPECT_EQ(find_api(apis[i].key), &apis[i]);
    }
    EXPECT_EQ(find_api(ApiKey::LeaderAndIsr), nullptr);
    EXPECT_TRUE(is_flexible_version(ApiKey::Produce, 12));
    EXPECT_FALSE(is_flexible_version(ApiKey::Produce, 8));
    EXPECT_FALSE(is_flexible_version(ApiKey::LeaderAndIsr, 7));
}

}  // namespace
}  // namespace common::protocol
