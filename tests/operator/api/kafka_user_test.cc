#include "operator/api/v1alpha1/kafka_user.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace kop::api::v1alpha1 {
namespace {

Json user_json() {
    return Json::parse(R"({
      "metadata": {"name": "billing", "namespace": "kafka"},
      "spec": {
        "clusterRef": {"name": "events"},
        "authentication": {"type": "scram-sha-512",
          "password": {"valueFrom": {"secretKeyRef": {"name": "billing-pw", "key": "password"}}}},
        "authorization": {"type": "simple", "acls": [
          {"type": "allow", "resource": {"type": "topic", "name": "orders", "patternType": "prefixed"},
           "operations": ["Read", "Describe"]},
          {"type": "allow", "resource": {"type": "group", "name": "billing"}, "operations": ["Read"]},
          {"type": "deny", "resource": {"type": "cluster"}, "host": "10.0.0.1", "operations": ["Alter"]}
        ]},
        "quotas": {"producerByteRate": 1048576, "requestPercentage": 50}
      }
    })");
}

bool has_error(const FieldErrors& errors, const std::string& path) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const FieldError& e) { return e.path == path; });
}

TEST(KafkaUserTest, DecodesCredentialsAclsAndQuotas) {
    FieldErrors errors;
    KafkaUser u = decode_kafka_user(user_json(), errors);
    ASSERT_TRUE(errors.empty()) << to_string(errors);
    ASSERT_TRUE(u.spec.authentication.password.has_value());
    EXPECT_EQ(u.spec.authentication.password->name, "billing-pw");
    ASSERT_TRUE(u.spec.authorization.has_value());
    ASSERT_EQ(u.spec.authorization->acls.size(), 3u);
    EXPECT_EQ(u.spec.authorization->acls[0].resource.pattern_type, "prefixed");
    EXPECT_EQ(u.spec.authorization->acls[1].host, "*");
    EXPECT_EQ(u.spec.authorization->acls[1].resource.pattern_type, "literal");
    EXPECT_EQ(u.spec.quotas.producer_byte_rate, 1048576);
    EXPECT_FALSE(u.spec.quotas.consumer_byte_rate.has_value());
    EXPECT_EQ(kafka_username(u), "billing");
    EXPECT_TRUE(validate(u).empty()) << to_string(validate(u));
}

TEST(KafkaUserTest, RoundTripsThroughJson) {
    FieldErrors errors;
    KafkaUser u = decode_kafka_user(user_json(), errors);
    KafkaUser again = decode_kafka_user(to_json(u), errors);
    ASSERT_TRUE(errors.empty()) << to_string(errors);
    EXPECT_EQ(to_json(again), to_json(u));
}

TEST(KafkaUserTest, TlsUsersAreNamedByCommonNameAndTakeNoPassword) {
    FieldErrors errors;
    KafkaUser u = decode_kafka_user(user_json(), errors);
    u.spec.authentication.type = "tls";
    EXPECT_EQ(kafka_username(u), "CN=billing");
    EXPECT_TRUE(has_error(validate(u), "spec.authentication.password"));
}

TEST(KafkaUserTest, ValidateRefusesBadRulesAndQuotas) {
    FieldErrors errors;
    KafkaUser u = decode_kafka_user(user_json(), errors);
    auto& acls = u.spec.authorization->acls;
    acls[0].operations.push_back("Fly");
    acls[1].resource.name.clear();
    acls[2].resource.pattern_type = "prefixed";
    u.spec.quotas.request_percentage = 101;
    FieldErrors problems = validate(u);
    EXPECT_TRUE(has_error(problems, "spec.authorization.acls[0].operations[2]"));
    EXPECT_TRUE(has_error(problems, "spec.authorization.acls[1].resource.name"));
    EXPECT_TRUE(has_error(problems, "spec.authorization.acls[2].resource.patternType"));
    EXPECT_TRUE(has_error(problems, "spec.quotas.requestPercentage"));
    EXPECT_EQ(problems.size(), 4u) << to_string(problems);
}

TEST(KafkaUserTest, APasswordWithoutSecretKeyRefIsATypeError) {
    Json j = user_json();
    j["spec"]["authentication"]["password"] = {{"value", "hunter2"}};
    FieldErrors errors;
    decode_kafka_user(j, errors);
    EXPECT_TRUE(has_error(errors, "spec.authentication.password")) << to_string(errors);
}

}  // namespace
}  // namespace kop::api::v1alpha1
