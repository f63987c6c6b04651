#include "operator/runtime/applier.h"

#include <gtest/gtest.h>

#include "operator/kube/fake_kube_client.h"

namespace kop::runtime {
namespace {

TEST(IsSubsetTest, FieldsTheServerAddsDoNotCountAsDifferences) {
    Json desired = {{"spec", {{"ports", {{{"port", 9092}}}}}}};
    Json live = {
        {"spec", {{"ports", {{{"port", 9092}, {"protocol", "TCP"}}}}, {"clusterIP", "10.0.0.5"}}},
        {"status", Json::object()}};
    EXPECT_TRUE(is_subset(desired, live));
}

TEST(IsSubsetTest, ChangedValuesAndArrayLengthsAreDifferences) {
    EXPECT_FALSE(is_subset({{"a", 1}}, {{"a", 2}}));
    EXPECT_FALSE(is_subset({{"a", {1, 2}}}, {{"a", {1}}}));
    EXPECT_FALSE(is_subset({{"a", {{"b", 1}}}}, {{"c", 1}}));
    EXPECT_TRUE(is_subset({{"a", nullptr}}, Json::object()));
}

class ApplierTest : public ::testing::Test {
  protected:
    kube::FakeKubeClient fake_;
    Applier applier_{fake_};
    kube::Gvr gvr_ = kube::config_maps_v1();
    Json owner_ = {{"apiVersion", "v1"},
                   {"kind", "ConfigMap"},
                   {"metadata", {{"name", "owner"}, {"uid", "u-owner"}}}};
    Json desired_ = {{"apiVersion", "v1"},
                     {"kind", "ConfigMap"},
                     {"metadata", {{"name", "cm"}, {"namespace", "ns"}}},
                     {"data", {{"k", "v"}}}};
};

TEST_F(ApplierTest, CreatesWhenMissingWithOwnerReference) {
    auto r = applier_.apply(gvr_, desired_, &owner_);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r.value().action, ApplyAction::Created);
    EXPECT_EQ(r.value().object["metadata"]["ownerReferences"][0]["uid"], "u-owner");
}

TEST_F(ApplierTest, SecondApplyWithNothingChangedMakesNoWrite) {
    ASSERT_TRUE(applier_.apply(gvr_, desired_, &owner_));
    fake_.clear_actions();
    auto r = applier_.apply(gvr_, desired_, &owner_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r.value().action, ApplyAction::Unchanged);
    EXPECT_TRUE(fake_.actions().empty());
}

TEST_F(ApplierTest, ADifferenceIsPatchedAndOtherOwnersAreKept) {
    auto created = applier_.apply(gvr_, desired_, &owner_);
    ASSERT_TRUE(created);
    Json live = created.value().object;
    live["metadata"]["ownerReferences"].push_back(
        {{"apiVersion", "v1"}, {"kind", "Other"}, {"name", "o"}, {"uid", "u-other"}});
    ASSERT_TRUE(fake_.update(gvr_, "ns", live));
    desired_["data"]["k"] = "changed";
    auto r = applier_.apply(gvr_, desired_, &owner_);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r.value().action, ApplyAction::Patched);
    EXPECT_EQ(r.value().object["data"]["k"], "changed");
    EXPECT_EQ(r.value().object["metadata"]["ownerReferences"].size(), 2u);
}

TEST_F(ApplierTest, ReadErrorsOtherThanNotFoundArePropagated) {
    fake_.fail_next("create", kube::Errc::Forbidden);
    auto r = applier_.apply(gvr_, desired_, nullptr);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), kube::Errc::Forbidden);
}

}  // namespace
}  // namespace kop::runtime
