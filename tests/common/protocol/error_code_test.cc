#include <gtest/gtest.h>

#include "common/protocol/api_key.h"
#include "common/protocol/error_code.h"

namespace common::protocol {
namespace {

TEST(ErrorCode, ValuesMatchTheWireCodes) {
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::UnknownServerError), -1);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::None), 0);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::UnknownTopicOrPartition), 3);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::NotLeaderOrFollower), 6);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::UnsupportedVersion), 35);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::TopicAlreadyExists), 36);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::SaslAuthenticationFailed), 58);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::UnknownTopicId), 100);
    EXPECT_EQ(static_cast<int16_t>(ErrorCode::TransactionAbortable), 120);
}

TEST(ErrorCode, NamesAndMessagesAreKnownForEveryCodeAndUnknownOtherwise) {
    EXPECT_EQ(error_code_name(ErrorCode::UnknownTopicOrPartition), "UNKNOWN_TOPIC_OR_PARTITION");
    EXPECT_EQ(error_code_name(ErrorCode::None), "NONE");
    EXPECT_EQ(error_code_name(static_cast<ErrorCode>(9999)), "UNKNOWN");
    for (int code = -1; code <= 127; ++code) {
        const auto e = static_cast<ErrorCode>(code);
        EXPECT_NE(error_code_name(e), "UNKNOWN") << code;
        EXPECT_FALSE(error_code_message(e).empty()) << code;
    }
}

TEST(ErrorCode, LeadershipAndTimeoutErrorsAreRetriable) {
    EXPECT_TRUE(is_retriable(ErrorCode::NotLeaderOrFollower));
    EXPECT_TRUE(is_retriable(ErrorCode::RequestTimedOut));
    EXPECT_FALSE(is_retriable(ErrorCode::TopicAlreadyExists));
    EXPECT_FALSE(is_retriable(ErrorCode::None));
}

TEST(ApiKeyName, NamesFollowKafka) {
    EXPECT_EQ(api_key_name(ApiKey::Produce), "Produce");
    EXPECT_EQ(api_key_name(ApiKey::ApiVersions), "ApiVersions");
    EXPECT_EQ(static_cast<int16_t>(ApiKey::DescribeCluster), 60);
    EXPECT_EQ(api_key_name(static_cast<ApiKey>(-7)), "Unknown");
}

}  // namespace
}  // namespace common::protocol
