#include "operator/app/options.h"

#include <gtest/gtest.h>

namespace kop::app {
namespace {

TEST(OptionsTest, FlagsInBothFormsAreParsed) {
    const char* argv[] = {"op",
                          "--kubeconfig=/k",
                          "--namespaces",
                          "a,b",
                          "--leader-elect",
                          "--lease-duration=4s",
                          "--renew-deadline=3s",
                          "--retry-period=500ms",
                          "--metrics-addr=127.0.0.1:0",
                          "--log-level=debug",
                          "--workers=3"};
    std::string error;
    auto o = parse_options(11, argv, error);
    ASSERT_TRUE(o) << error;
    EXPECT_EQ(o.value().kubeconfig, "/k");
    EXPECT_EQ(o.value().namespaces, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(o.value().leader_elect);
    EXPECT_EQ(o.value().lease_duration, std::chrono::seconds(4));
    EXPECT_EQ(o.value().retry_period, std::chrono::milliseconds(500));
    EXPECT_EQ(o.value().metrics_addr, "127.0.0.1:0");
    EXPECT_EQ(o.value().workers, 3);
}

TEST(OptionsTest, DefaultsWatchAllNamespacesWithoutLeaderElection) {
    const char* argv[] = {"op"};
    std::string error;
    auto o = parse_options(1, argv, error);
    ASSERT_TRUE(o);
    EXPECT_TRUE(o.value().namespaces.empty());
    EXPECT_FALSE(o.value().leader_elect);
}

TEST(OptionsTest, UnknownFlagsAndInconsistentPeriodsAreRejected) {
    std::string error;
    const char* unknown[] = {"op", "--frobnicate=1"};
    EXPECT_FALSE(parse_options(2, unknown, error));
    EXPECT_NE(error.find("--frobnicate"), std::string::npos);
    const char* periods[] = {"op", "--lease-duration=2s", "--renew-deadline=3s"};
    EXPECT_FALSE(parse_options(3, periods, error));
    const char* bad[] = {"op", "--workers=zero"};
    EXPECT_FALSE(parse_options(2, bad, error));
}

}  // namespace
}  // namespace kop::app
