#include "operator/runtime/informer.h"

#include <thread>

#include <gtest/gtest.h>

#include "operator/kube/fake_kube_client.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/events.h"
#include "operator/runtime/leader_election.h"
#include "tests/operator/kube/eventually.h"

namespace kop::runtime {
namespace {

using testing::eventually;

Json cm(const std::string& name, const std::string& owner_uid = "") {
    Json obj = {{"metadata", {{"name", name}}}, {"data", {{"k", "v"}}}};
    if (!owner_uid.empty()) {
        obj["metadata"]["ownerReferences"] = {{{"apiVersion", "kafka.tributary.io/v1alpha1"},
                                               {"kind", "KafkaCluster"},
                                               {"name", "c1"},
                                               {"uid", owner_uid},
                                               {"controller", true}}};
    }
    return obj;
}

TEST(InformerTest, ListsThenFollowsTheWatchAndIndexesOwners) {
    kube::FakeKubeClient fake;
    auto gvr = kube::config_maps_v1();
    ASSERT_TRUE(fake.create(gvr, "ns", cm("before", "u1")));
    auto cache = std::make_shared<Cache>();
    Informer informer(fake, gvr, "ns", cache);
    std::atomic<int> deletes{0};
    informer.add_handler([&](EventKind k, const Json&, const Json&) {
        if (k == EventKind::Deleted) ++deletes;
    });
    informer.start();
    ASSERT_TRUE(informer.wait_synced());
    EXPECT_TRUE(cache->get({"ns", "before"}));
    ASSERT_TRUE(fake.create(gvr, "ns", cm("after", "u1")));
    ASSERT_TRUE(eventually([&] { return cache->by_owner("u1").size() == 2; }));
    ASSERT_TRUE(fake.remove(gvr, "ns", "before"));
    ASSERT_TRUE(eventually([&] { return deletes.load() == 1; }));
    EXPECT_FALSE(cache->get({"ns", "before"}));
    informer.stop();
}

TEST(InformerTest, GoneMakesItRelistAndCatchUp) {
    kube::FakeKubeClient fake;
    auto gvr = kube::config_maps_v1();
    auto cache = std::make_shared<Cache>();
    Informer informer(fake, gvr, "ns", cache);
    informer.start();
    ASSERT_TRUE(informer.wait_synced());
    ASSERT_TRUE(fake.create(gvr, "ns", cm("a")));
    ASSERT_TRUE(eventually([&] { return cache->size() == 1; }));
    fake.compact();  // the open watch and any re-watch from the old version get Gone
    ASSERT_TRUE(fake.create(gvr, "ns", cm("b")));
    ASSERT_TRUE(eventually([&] { return informer.gone_count() >= 1 && cache->size() == 2; }));
    EXPECT_GE(informer.relists(), 2);
    informer.stop();
}

// Counts reconciles per key; fails the first time for "ns/fail".
class CountingReconciler : public Reconciler {
  public:
    common::Result<Outcome> reconcile(const ObjectKey& key) override {
        std::lock_guard lock(mu_);
        int n = ++counts_[key.str()];
        if (key.name == "fail" && n == 1) return make_error_code(kube::Errc::Conflict);
        return Outcome::done();
    }
    int count(const std::string& key) {
        std::lock_guard lock(mu_);
        return counts_[key];
    }

  private:
    std::mutex mu_;
    std::map<std::string, int> counts_;
};

TEST(ControllerTest, OwnedObjectsWakeTheirOwnerAndErrorsAreRetried) {
    kube::FakeKubeClient fake;
    Metrics metrics;
    CountingReconciler reconciler;
    Controller controller("test", reconciler, metrics, 2, Backoff{Duration(1), Duration(10), 2});
    auto cache = std::make_shared<Cache>();
    Informer informer(fake, kube::config_maps_v1(), "ns", cache);
    informer.add_handler(controller.enqueue_owner("KafkaCluster", "kafka.tributary.io"));
    informer.start();
    controller.start();
    ASSERT_TRUE(fake.create(kube::config_maps_v1(), "ns", cm("child", "u1")));
    ASSERT_TRUE(eventually([&] { return reconciler.count("ns/c1") >= 1; }));
    controller.queue().add("ns/fail");
    ASSERT_TRUE(eventually([&] { return reconciler.count("ns/fail") == 2; }));
    EXPECT_GE(metrics.value("tributary_operator_reconcile_errors_total", {{"controller", "test"}}),
              1);
    EXPECT_NE(metrics.render().find("tributary_operator_reconcile_duration_seconds_bucket"),
              std::string::npos);
    controller.stop();
    informer.stop();
}

TEST(EventRecorderTest, RepeatsBumpCountOnTheSameEvent) {
    kube::FakeKubeClient fake;
    EventRecorder recorder(fake, "tributary-operator");
    Json involved = {{"apiVersion", "v1"},
                     {"kind", "ConfigMap"},
                     {"metadata", {{"name", "x"}, {"namespace", "ns"}, {"uid", "u"}}}};
    ASSERT_TRUE(recorder.record(involved, "Normal", "Scaled", "to 3"));
    ASSERT_TRUE(recorder.record(involved, "Normal", "Scaled", "to 3"));
    auto events = fake.list(kube::events_v1(), "ns", {});
    ASSERT_TRUE(events);
    ASSERT_EQ(events.value()["items"].size(), 1u);
    EXPECT_EQ(events.value()["items"][0]["count"], 2);
    EXPECT_EQ(events.value()["items"][0]["involvedObject"]["uid"], "u");
}

TEST(LeaderElectorTest, OnlyOneCandidateHoldsTheLeaseAndReleaseHandsItOver) {
    kube::FakeKubeClient fake;
    LeaderElectionConfig a{"ns",
                           "lock",
                           "a",
                           std::chrono::seconds(30),
                           std::chrono::seconds(20),
                           std::chrono::seconds(1)};
    LeaderElectionConfig b = a;
    b.identity = "b";
    LeaderElector ea(fake, a, nullptr, nullptr);
    LeaderElector eb(fake, b, nullptr, nullptr);
    auto got_a = ea.try_acquire_or_renew();
    ASSERT_TRUE(got_a);
    EXPECT_TRUE(got_a.value());
    auto got_b = eb.try_acquire_or_renew();
    ASSERT_TRUE(got_b);
    EXPECT_FALSE(got_b.value());
    ASSERT_TRUE(ea.try_acquire_or_renew().value());  // renew
    ASSERT_TRUE(ea.release());
    auto after = eb.try_acquire_or_renew();
    ASSERT_TRUE(after);
    EXPECT_TRUE(after.value());
    auto lease = fake.get(kube::leases_v1(), "ns", "lock");
    ASSERT_TRUE(lease);
    EXPECT_EQ(lease.value()["spec"]["holderIdentity"], "b");
    EXPECT_EQ(lease.value()["spec"]["leaseTransitions"], 1);
}

}  // namespace
}  // namespace kop::runtime
