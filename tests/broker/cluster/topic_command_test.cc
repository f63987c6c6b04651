#include "broker/cluster/topic_command.h"

#include <gtest/gtest.h>

#include <random>

#include "broker/cluster/errc.h"
#include "common/errc.h"

namespace broker::cluster {
namespace {

std::vector<TopicCommand> samples() {
    TopicCommand create;
    create.op = TopicOp::CreateTopic;
    create.name = "orders";
    create.partitions = 6;
    create.replication_factor = 3;
    create.configs = {{"cleanup.policy", "compact"}, {"retention.ms", "60000"}};
    create.validate_only = true;
    TopicCommand defaults;  // partitions and replication factor from the broker
    defaults.name = "auto";
    TopicCommand remove;
    remove.op = TopicOp::DeleteTopic;
    remove.name = "old";
    TopicCommand grow;
    grow.op = TopicOp::CreatePartitions;
    grow.name = "orders";
    grow.total_count = 12;
    TopicCommand replace;
    replace.op = TopicOp::ReplaceConfigs;
    replace.name = "orders";
    replace.configs = {{"retention.bytes", "1024"}};
    TopicCommand alter;
    alter.op = TopicOp::AlterConfigs;
    alter.name = "orders";
    alter.changes = {{"retention.ms", ConfigChange::Op::Delete, std::nullopt},
                     {"cleanup.policy", ConfigChange::Op::Append, "delete"},
                     {"cleanup.policy", ConfigChange::Op::Subtract, "compact"},
                     {"segment.ms", ConfigChange::Op::Set, "1000"}};
    return {create, defaults, remove, grow, replace, alter};
}

TopicCommandResult created_result() {
    TopicInfo topic{"orders", TopicId{1, 2, 3}, 6, 3, {{"cleanup.policy", "compact"}}};
    return TopicCommandResult{{}, "", 42, topic};
}

std::vector<TopicCommandResult> results() {
    return {created_result(),
            {make_error_code(Errc::NotController), "This node is not the active controller.", 7,
             std::nullopt},
            {make_error_code(Errc::TopicAlreadyExists), "Topic 'orders' already exists.", 9,
             std::nullopt}};
}

TEST(TopicCommandTest, EveryOpAndResultRoundTrips) {
    for (const auto& command : samples()) {
        auto back = decode_topic_command(encode_topic_command(command));
        ASSERT_TRUE(back) << back.error().message();
        EXPECT_EQ(back.value(), command) << command.name;
    }
    for (const auto& result : results()) {
        auto back = decode_topic_command_result(encode_topic_command_result(result));
        ASSERT_TRUE(back) << back.error().message();
        EXPECT_EQ(back.value(), result);
    }
}

TEST(TopicCommandTest, AnErrorOfAnotherCategoryTravelsAsControllerFailed) {
    TopicCommandResult odd{common::make_error_code(common::Errc::IoError), "disk", 1, {}};
    auto back = decode_topic_command_result(encode_topic_command_result(odd));
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value().error, make_error_code(Errc::ControllerFailed));
}

TEST(TopicCommandTest, EveryTruncationAndTrailingBytesAreRefused) {
    for (const auto& command : samples()) {
        auto bytes = encode_topic_command(command);
        for (size_t n = 0; n < bytes.size(); ++n) {
            EXPECT_FALSE(decode_topic_command(std::span<const uint8_t>(bytes).first(n))) << n;
        }
        bytes.push_back(0);
        EXPECT_EQ(decode_topic_command(bytes).error(),
                  common::make_error_code(common::Errc::Malformed));
    }
    auto bytes = encode_topic_command_result(created_result());
    for (size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_FALSE(decode_topic_command_result(std::span<const uint8_t>(bytes).first(n))) << n;
    }
    bytes.push_back(0);
    EXPECT_FALSE(decode_topic_command_result(bytes));
}

TEST(TopicCommandTest, NewerVersionsWrongTypesAndUnknownValuesAreRefused) {
    const auto malformed = common::make_error_code(common::Errc::Malformed);
    auto command = encode_topic_command(samples()[0]);
    auto newer = command;
    newer[3] = 1;  // version 1
    EXPECT_EQ(decode_topic_command(newer).error(),
              common::make_error_code(common::Errc::Unsupported));
    auto negative = command;
    negative[2] = 0xff;  // version -1
    EXPECT_EQ(decode_topic_command(negative).error(), malformed);
    auto wrong_type = command;
    wrong_type[1] = 1;  // a heartbeat
    EXPECT_EQ(decode_topic_command(wrong_type).error(), malformed);
    auto bad_op = command;
    bad_op[4] = 9;
    EXPECT_EQ(decode_topic_command(bad_op).error(), malformed);
    // A result is not a command, and the other way round.
    EXPECT_EQ(decode_topic_command(encode_topic_command_result(created_result())).error(),
              malformed);
    EXPECT_EQ(decode_topic_command_result(command).error(), malformed);

    auto result = encode_topic_command_result(results()[1]);
    auto unknown_error = result;
    unknown_error[4] = 0x7f;  // an error code no node knows
    EXPECT_EQ(decode_topic_command_result(unknown_error).error(), malformed);
    auto newer_result = result;
    newer_result[3] = 1;
    EXPECT_EQ(decode_topic_command_result(newer_result).error(),
              common::make_error_code(common::Errc::Unsupported));
}

TEST(TopicCommandTest, HostileCountsAreRefusedWithoutAllocating) {
    TopicCommand bare;
    bare.op = TopicOp::DeleteTopic;
    bare.name = "t";
    auto bytes = encode_topic_command(bare);
    // type, version, op, name (2 + 1), partitions, replication, total: the config count follows.
    const size_t configs_at = 2 + 2 + 1 + 3 + 4 + 2 + 4;
    auto many_configs = bytes;
    many_configs[configs_at] = 0x7f;
    EXPECT_EQ(decode_topic_command(many_configs).error(),
              common::make_error_code(common::Errc::Malformed));
    auto many_changes = bytes;
    many_changes[configs_at + 4] = 0x7f;
    EXPECT_EQ(decode_topic_command(many_changes).error(),
              common::make_error_code(common::Errc::Malformed));
    TopicCommand duplicate = bare;
    duplicate.op = TopicOp::ReplaceConfigs;
    duplicate.configs = {{"a", "1"}, {"b", "2"}};
    auto dup = encode_topic_command(duplicate);
    // Rename "b" to "a": a config named twice is malformed.
    for (size_t i = configs_at + 4; i + 1 < dup.size(); ++i) {
        if (dup[i] == 0 && dup[i + 1] == 1 && i + 2 < dup.size() && dup[i + 2] == 'b') {
            dup[i + 2] = 'a';
            break;
        }
    }
    EXPECT_EQ(decode_topic_command(dup).error(), common::make_error_code(common::Errc::Malformed));
}

TEST(TopicCommandTest, RandomGarbageNeverDecodesIntoACrash) {
    std::mt19937 rng(20261205);
    auto valid = encode_topic_command(samples()[5]);
    for (int i = 0; i < 20000; ++i) {
        std::vector<uint8_t> bytes;
        if (i % 2 == 0) {
            bytes.resize(rng() % 64);
            for (auto& b : bytes) b = static_cast<uint8_t>(rng());
        } else {
            bytes = valid;  // a valid body with a few bytes flipped
            for (int flips = 0; flips < 3; ++flips) {
                bytes[rng() % bytes.size()] = static_cast<uint8_t>(rng());
            }
        }
        (void)decode_topic_command(bytes);
        (void)decode_topic_command_result(bytes);
    }
}

}  // namespace
}  // namespace broker::cluster
