#include "operator/kube/watch_stream.h"

#include <gtest/gtest.h>

namespace kop::kube {
namespace {

TEST(WatchLineTest, EventTypesAndObjectsAreParsed) {
    auto added = parse_watch_line(R"({"type":"ADDED","object":{"metadata":{"name":"a"}}})");
    ASSERT_TRUE(added);
    EXPECT_EQ(added.value().type, WatchEventType::Added);
    EXPECT_EQ(added.value().object["metadata"]["name"], "a");
    auto bookmark =
        parse_watch_line(R"({"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"7"}}})");
    ASSERT_TRUE(bookmark);
    EXPECT_EQ(bookmark.value().type, WatchEventType::Bookmark);
}

TEST(WatchLineTest, ErrorEventWith410IsGoneAndOthersAreTransient) {
    auto gone = parse_watch_line(
        R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}})");
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), Errc::Gone);
    auto other = parse_watch_line(R"({"type":"ERROR","object":{"code":500}})");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error(), Errc::Transient);
    EXPECT_FALSE(parse_watch_line("not json"));
}

TEST(StatusErrorTest, ReasonWinsOverTheBareCode) {
    EXPECT_EQ(status_error(409, R"({"reason":"AlreadyExists"})", false), Errc::AlreadyExists);
    EXPECT_EQ(status_error(409, R"({"reason":"Conflict"})", true), Errc::Conflict);
    EXPECT_EQ(status_error(404, "", false), Errc::NotFound);
}

}  // namespace
}  // namespace kop::kube
