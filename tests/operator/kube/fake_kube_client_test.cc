#include "operator/kube/fake_kube_client.h"

#include <gtest/gtest.h>

namespace kop::kube {
namespace {

Json cm(const std::string& name) {
    return {{"metadata", {{"name", name}, {"labels", {{"a", "b"}}}}}, {"spec", {{"x", 1}}}};
}

TEST(FakeKubeClientTest, KeepsConflictsGenerationsAndStatusSubresourceSemantics) {
    FakeKubeClient fake;
    Gvr gvr = config_maps_v1();
    auto created = fake.create(gvr, "ns", cm("a"));
    ASSERT_TRUE(created);
    EXPECT_EQ(created.value()["metadata"]["generation"], 1);
    Json next = created.value();
    next["spec"]["x"] = 2;
    next["status"] = {{"ignored", true}};
    auto updated = fake.update(gvr, "ns", next);
    ASSERT_TRUE(updated);
    EXPECT_EQ(updated.value()["metadata"]["generation"], 2);
    EXPECT_FALSE(updated.value().contains("status"));
    auto stale = fake.update(gvr, "ns", created.value());
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error(), Errc::Conflict);
    Json st = updated.value();
    st["status"] = {{"ok", true}};
    auto status = fake.update_status(gvr, "ns", st);
    ASSERT_TRUE(status);
    EXPECT_EQ(status.value()["status"]["ok"], true);
    EXPECT_EQ(status.value()["metadata"]["generation"], 2);
    EXPECT_EQ(fake.create(gvr, "ns", cm("a")).error(), Errc::AlreadyExists);
}

TEST(FakeKubeClientTest, WatchReplaysFromVersionAndCompactionMakesItGone) {
    FakeKubeClient fake;
    Gvr gvr = config_maps_v1();
    auto list = fake.list(gvr, "ns", {});
    ASSERT_TRUE(list);
    ListOptions opts;
    opts.resource_version = list.value()["metadata"]["resourceVersion"];
    ASSERT_TRUE(fake.create(gvr, "ns", cm("a")));
    auto watch = fake.watch(gvr, "ns", opts);
    ASSERT_TRUE(watch);
    auto ev = watch.value()->next();
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev.value()->type, WatchEventType::Added);
    fake.compact();
    auto gone = fake.watch(gvr, "ns", opts);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), Errc::Gone);
}

TEST(FakeKubeClientTest, FinalizersDelayDeletionUntilRemoved) {
    FakeKubeClient fake;
    Gvr gvr = config_maps_v1();
    Json obj = cm("a");
    obj["metadata"]["finalizers"] = {"x"};
    ASSERT_TRUE(fake.create(gvr, "ns", obj));
    ASSERT_TRUE(fake.remove(gvr, "ns", "a"));
    auto held = fake.get(gvr, "ns", "a");
    ASSERT_TRUE(held);
    EXPECT_TRUE(held.value()["metadata"].contains("deletionTimestamp"));
    ASSERT_TRUE(fake.patch(gvr, "ns", "a", PatchType::Merge,
                           {{"metadata", {{"finalizers", Json::array()}}}}));
    EXPECT_EQ(fake.get(gvr, "ns", "a").error(), Errc::NotFound);
}

TEST(FakeKubeClientTest, LabelSelectorsMatchByEquality) {
    EXPECT_TRUE(labels_match({{"a", "b"}, {"c", "d"}}, "a=b,c==d"));
    EXPECT_FALSE(labels_match({{"a", "b"}}, "a=c"));
    EXPECT_TRUE(labels_match(Json::object(), ""));
}

}  // namespace
}  // namespace kop::kube
