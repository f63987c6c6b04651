#include <gtest/gtest.h>

#include "common/errc.h"
#include "common/result.h"
#include "common/strong_id.h"

namespace common {
namespace {

Result<int> parse_positive(int v) {
    if (v <= 0) return Errc::InvalidArgument;
    return v;
}

Result<int> doubled_positive(int v) {
    TRIBUTARY_TRY(x, parse_positive(v));
    return x * 2;
}

TEST(ResultTest, TryPropagatesTheError) {
    auto bad = doubled_positive(-1);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), make_error_code(Errc::InvalidArgument));
    EXPECT_EQ(bad.error().message(), "invalid argument");
    EXPECT_EQ(doubled_positive(21).value(), 42);
}

TEST(StrongIdTest, DistinctTypesCompareByValue) {
    EXPECT_LT(Offset(1), Offset(2));
    EXPECT_EQ(NodeId(3), NodeId(3));
    static_assert(!std::is_convertible_v<Offset, NodeId>);
}

}  // namespace
}  // namespace common
