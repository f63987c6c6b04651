#include "operator/runtime/conditions.h"

#include <gtest/gtest.h>

#include "operator/runtime/finalizers.h"
#include "operator/runtime/owner.h"

namespace kop::runtime {
namespace {

TEST(ConditionsTest, TransitionTimeChangesOnlyWhenStatusChanges) {
    Json conds;
    EXPECT_TRUE(set_condition(conds, {"Ready", "False", "Creating", "m", 1}, "T1"));
    EXPECT_EQ((*find_condition(conds, "Ready"))["lastTransitionTime"], "T1");
    // Same status, new reason and generation: updated, time kept.
    EXPECT_TRUE(set_condition(conds, {"Ready", "False", "Waiting", "m2", 2}, "T2"));
    EXPECT_EQ((*find_condition(conds, "Ready"))["lastTransitionTime"], "T1");
    EXPECT_EQ((*find_condition(conds, "Ready"))["observedGeneration"], 2);
    // Nothing differs: no change reported.
    EXPECT_FALSE(set_condition(conds, {"Ready", "False", "Waiting", "m2", 2}, "T3"));
    // Status flips: time moves.
    EXPECT_TRUE(set_condition(conds, {"Ready", "True", "Ready", "", 2}, "T4"));
    EXPECT_EQ((*find_condition(conds, "Ready"))["lastTransitionTime"], "T4");
    EXPECT_TRUE(condition_is_true(conds, "Ready"));
    EXPECT_FALSE(condition_is_true(conds, "Degraded"));
}

TEST(ConditionsTest, TypesAreKeptSeparately) {
    Json conds = Json::array();
    set_condition(conds, {"Ready", "True", "Ready", "", 1}, "T");
    set_condition(conds, {"Reconciling", "False", "Idle", "", 1}, "T");
    EXPECT_EQ(conds.size(), 2u);
}

TEST(ConditionsTest, TimesAreRfc3339Utc) {
    std::string t = now_rfc3339();
    EXPECT_EQ(t.size(), 20u);
    EXPECT_EQ(t.back(), 'Z');
    EXPECT_EQ(now_rfc3339_micro().size(), 27u);
}

TEST(FinalizersTest, AddAndRemoveAreIdempotent) {
    Json obj = {{"metadata", {{"name", "a"}}}};
    EXPECT_TRUE(add_finalizer(obj, "x"));
    EXPECT_FALSE(add_finalizer(obj, "x"));
    EXPECT_TRUE(has_finalizer(obj, "x"));
    EXPECT_TRUE(remove_finalizer(obj, "x"));
    EXPECT_FALSE(remove_finalizer(obj, "x"));
    EXPECT_FALSE(has_finalizer(obj, "x"));
}

TEST(OwnerTest, ControllerOwnerReferenceIsSetOnceAndFound) {
    Json owner = {{"apiVersion", "kafka.tributary.io/v1alpha1"},
                  {"kind", "KafkaCluster"},
                  {"metadata", {{"name", "c"}, {"uid", "u1"}}}};
    Json obj = {{"metadata", {{"name", "s"}}}};
    set_owner(obj, owner_ref_of(owner));
    set_owner(obj, owner_ref_of(owner));
    ASSERT_EQ(obj["metadata"]["ownerReferences"].size(), 1u);
    auto found = controller_owner(obj);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->kind, "KafkaCluster");
    EXPECT_EQ(found->group(), "kafka.tributary.io");
    EXPECT_EQ(found->name, "c");
}

}  // namespace
}  // namespace kop::runtime
