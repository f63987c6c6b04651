// Against a real kube-apiserver (label kube): the client's CRUD, conflicts, watches, 410 Gone,
// discovery, and the runtime parts that talk to the API (informer, applier, events, finalizers).

#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "operator/runtime/applier.h"
#include "operator/runtime/events.h"
#include "operator/runtime/finalizers.h"
#include "operator/runtime/informer.h"
#include "tests/operator/kube/control_plane.h"
#include "tests/operator/kube/eventually.h"

namespace kop {
namespace {

using kube::Errc;
using kube::Gvr;
using nlohmann::json;
using testing::eventually;
using testing::KubeEnvironment;

const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new testing::KubeEnvironment);

json config_map(const std::string& name, const std::string& value) {
    return {{"apiVersion", "v1"},
            {"kind", "ConfigMap"},
            {"metadata", {{"name", name}}},
            {"data", {{"k", value}}}};
}

json pod_template(const std::string& name) {
    return {{"apiVersion", "v1"},
            {"kind", "PodTemplate"},
            {"metadata", {{"name", name}}},
            {"template", {{"spec", {{"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}}}};
}

class KubeApiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        client_ = KubeEnvironment::plane().client();
        ASSERT_NE(client_, nullptr);
        ns_ = testing::create_namespace(*client_, "api");
    }
    std::unique_ptr<kube::HttpKubeClient> client_;
    std::string ns_;
    Gvr cms_ = kube::config_maps_v1();
};

TEST_F(KubeApiTest, CreateGetUpdateDeleteRoundTripAndStaleVersionConflicts) {
    auto created = client_->create(cms_, ns_, config_map("a", "1"));
    ASSERT_TRUE(created) << created.error().message();
    auto got = client_->get(cms_, ns_, "a");
    ASSERT_TRUE(got);
    EXPECT_EQ(got.value()["data"]["k"], "1");

    json stale = got.value();
    json fresh = got.value();
    fresh["data"]["k"] = "2";
    auto updated = client_->update(cms_, ns_, fresh);
    ASSERT_TRUE(updated) << updated.error().message();
    EXPECT_EQ(updated.value()["data"]["k"], "2");

    stale["data"]["k"] = "3";
    auto conflict = client_->update(cms_, ns_, stale);
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error(), Errc::Conflict);

    auto again = client_->create(cms_, ns_, config_map("a", "x"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), Errc::AlreadyExists);

    ASSERT_TRUE(client_->remove(cms_, ns_, "a"));
    auto gone = client_->get(cms_, ns_, "a");
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), Errc::NotFound);
}

TEST_F(KubeApiTest, MergeAndJsonPatchesApplyAndListFiltersByLabel) {
    ASSERT_TRUE(client_->create(cms_, ns_, config_map("p", "1")));
    auto merged = client_->patch(cms_, ns_, "p", kube::PatchType::Merge,
                                 {{"metadata", {{"labels", {{"app", "x"}}}}}});
    ASSERT_TRUE(merged) << merged.error().message();
    auto patched =
        client_->patch(cms_, ns_, "p", kube::PatchType::JsonPatch,
                       json::array({{{"op", "replace"}, {"path", "/data/k"}, {"value", "9"}}}));
    ASSERT_TRUE(patched) << patched.error().message();
    EXPECT_EQ(patched.value()["data"]["k"], "9");
    ASSERT_TRUE(client_->create(cms_, ns_, config_map("q", "1")));
    kube::ListOptions opts;
    opts.label_selector = "app=x";
    auto list = client_->list(cms_, ns_, opts);
    ASSERT_TRUE(list);
    ASSERT_EQ(list.value()["items"].size(), 1u);
    EXPECT_EQ(list.value()["items"][0]["metadata"]["name"], "p");
}

TEST_F(KubeApiTest, WatchSeesAddedModifiedAndDeleted) {
    auto list = client_->list(cms_, ns_, {});
    ASSERT_TRUE(list);
    kube::ListOptions opts;
    opts.resource_version = list.value()["metadata"]["resourceVersion"];
    auto watch = client_->watch(cms_, ns_, opts);
    ASSERT_TRUE(watch) << watch.error().message();
    ASSERT_TRUE(client_->create(cms_, ns_, config_map("w", "1")));
    ASSERT_TRUE(client_->patch(cms_, ns_, "w", kube::PatchType::Merge, {{"data", {{"k", "2"}}}}));
    ASSERT_TRUE(client_->remove(cms_, ns_, "w"));
    std::vector<kube::WatchEventType> seen;
    while (seen.size() < 3) {
        auto ev = watch.value()->next();
        ASSERT_TRUE(ev) << ev.error().message();
        ASSERT_TRUE(ev.value().has_value());
        if (ev.value()->type == kube::WatchEventType::Bookmark) continue;
        EXPECT_EQ(ev.value()->object["metadata"]["name"], "w");
        seen.push_back(ev.value()->type);
    }
    EXPECT_EQ(seen, (std::vector<kube::WatchEventType>{kube::WatchEventType::Added,
                                                       kube::WatchEventType::Modified,
                                                       kube::WatchEventType::Deleted}));
}

TEST_F(KubeApiTest, WatchFromACompactedResourceVersionIsGone) {
    Gvr pts = kube::core_v1("podtemplates");
    auto first = client_->create(pts, ns_, pod_template("old"));
    ASSERT_TRUE(first);
    std::string old_rv = first.value()["metadata"]["resourceVersion"];
    // Two more writes, so the compaction removes revisions right after old_rv.
    ASSERT_TRUE(client_->create(pts, ns_, pod_template("new")));
    ASSERT_TRUE(client_->remove(pts, ns_, "new"));
    ASSERT_TRUE(KubeEnvironment::plane().compact_etcd());
    kube::ListOptions opts;
    opts.resource_version = old_rv;
    opts.timeout_seconds = 30;
    auto watch = client_->watch(pts, ns_, opts);
    std::error_code error;
    if (!watch) {
        error = watch.error();
    } else {
        for (;;) {
            auto ev = watch.value()->next();
            if (!ev) {
                error = ev.error();
                break;
            }
            ASSERT_TRUE(ev.value().has_value()) << "watch ended without 410";
        }
    }
    EXPECT_EQ(error, Errc::Gone);
}

// Delegates to the real client; while closed, watch() waits and open watches are cancelled.
class GatedClient final : public kube::KubeClient {
  public:
    explicit GatedClient(kube::KubeClient& real) : real_(real) {}
    void close() {
        std::lock_guard lock(mu_);
        open_ = false;
        for (auto* w : watches_) w->cancel();
    }
    void open() {
        std::lock_guard lock(mu_);
        open_ = true;
        cv_.notify_all();
    }
    int waiting() {
        std::lock_guard lock(mu_);
        return waiting_;
    }
    kube::Result<json> get(const Gvr& g, const std::string& n, const std::string& m) override {
        return real_.get(g, n, m);
    }
    kube::Result<json> list(const Gvr& g, const std::string& n,
                            const kube::ListOptions& o) override {
        return real_.list(g, n, o);
    }
    kube::Result<json> create(const Gvr& g, const std::string& n, const json& o) override {
        return real_.create(g, n, o);
    }
    kube::Result<json> update(const Gvr& g, const std::string& n, const json& o) override {
        return real_.update(g, n, o);
    }
    kube::Result<json> update_status(const Gvr& g, const std::string& n, const json& o) override {
        return real_.update_status(g, n, o);
    }
    kube::Result<json> patch(const Gvr& g, const std::string& n, const std::string& m,
                             kube::PatchType t, const json& p, const std::string& s) override {
        return real_.patch(g, n, m, t, p, s);
    }
    kube::Result<void> remove(const Gvr& g, const std::string& n, const std::string& m,
                              const kube::DeleteOptions& o) override {
        return real_.remove(g, n, m, o);
    }
    kube::Result<std::vector<kube::ApiResource>> server_resources(const std::string& gv) override {
        return real_.server_resources(gv);
    }
    kube::Result<std::unique_ptr<kube::WatchStream>> watch(const Gvr& g, const std::string& n,
                                                           const kube::ListOptions& o) override {
        {
            std::unique_lock lock(mu_);
            ++waiting_;
            cv_.wait(lock, [this] { return open_; });
            --waiting_;
        }
        TRIBUTARY_TRY(stream, real_.watch(g, n, o));
        std::lock_guard lock(mu_);
        watches_.clear();  // the informer holds one watch at a time
        watches_.push_back(stream.get());
        return std::move(stream);
    }

  private:
    kube::KubeClient& real_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool open_ = true;
    int waiting_ = 0;
    std::vector<kube::WatchStream*> watches_;
};

TEST_F(KubeApiTest, InformerRelistsAfterGoneAndCatchesUp) {
    Gvr pts = kube::core_v1("podtemplates");
    GatedClient gated(*client_);
    auto cache = std::make_shared<runtime::Cache>();
    runtime::Informer informer(gated, pts, ns_, cache);
    informer.start();
    ASSERT_TRUE(informer.wait_synced());
    ASSERT_TRUE(client_->create(pts, ns_, pod_template("a")));
    ASSERT_TRUE(eventually([&] { return cache->get({ns_, "a"}).has_value(); }));

    gated.close();  // the informer falls behind: its watch ends and cannot reopen yet
    ASSERT_TRUE(eventually([&] { return gated.waiting() == 1; }));
    ASSERT_TRUE(client_->create(pts, ns_, pod_template("b")));
    ASSERT_TRUE(client_->remove(pts, ns_, "a"));
    ASSERT_TRUE(KubeEnvironment::plane().compact_etcd());
    int relists_before = informer.relists();
    gated.open();

    ASSERT_TRUE(eventually([&] { return informer.gone_count() >= 1; }));
    ASSERT_TRUE(eventually([&] {
        return cache->get({ns_, "b"}).has_value() && !cache->get({ns_, "a"}).has_value();
    }));
    EXPECT_GT(informer.relists(), relists_before);
    // And it keeps watching after the relist.
    ASSERT_TRUE(client_->create(pts, ns_, pod_template("c")));
    EXPECT_TRUE(eventually([&] { return cache->get({ns_, "c"}).has_value(); }));
    informer.stop();
}

TEST_F(KubeApiTest, DiscoveryTellsWhichGroupVersionsAreServed) {
    auto v1beta1 = kube::serves(*client_, "policy/v1beta1", "poddisruptionbudgets");
    ASSERT_TRUE(v1beta1);
    EXPECT_TRUE(v1beta1.value());
    auto leases = kube::serves(*client_, "coordination.k8s.io/v1", "leases");
    ASSERT_TRUE(leases);
    EXPECT_TRUE(leases.value());
    auto unknown = kube::serves(*client_, "nothing.example.com/v1", "things");
    ASSERT_TRUE(unknown);
    EXPECT_FALSE(unknown.value());
}

TEST_F(KubeApiTest, ApplierCreatesThenMakesNoWriteThenPatchesADifference) {
    Gvr svcs = kube::core_v1("services");
    auto owner = client_->create(cms_, ns_, config_map("owner", "1"));
    ASSERT_TRUE(owner);
    json svc = {
        {"apiVersion", "v1"},
        {"kind", "Service"},
        {"metadata", {{"name", "s"}, {"namespace", ns_}, {"labels", {{"app", "t"}}}}},
        {"spec", {{"selector", {{"app", "t"}}}, {"ports", {{{"name", "kafka"}, {"port", 9092}}}}}}};
    runtime::Applier applier(*client_);
    auto first = applier.apply(svcs, svc, &owner.value());
    ASSERT_TRUE(first) << first.error().message();
    EXPECT_EQ(first.value().action, runtime::ApplyAction::Created);
    EXPECT_EQ(first.value().object["metadata"]["ownerReferences"][0]["uid"],
              owner.value()["metadata"]["uid"]);

    std::string rv = first.value().object["metadata"]["resourceVersion"];
    auto second = applier.apply(svcs, svc, &owner.value());
    ASSERT_TRUE(second) << second.error().message();
    EXPECT_EQ(second.value().action, runtime::ApplyAction::Unchanged);
    EXPECT_EQ(second.value().object["metadata"]["resourceVersion"], rv);

    svc["spec"]["ports"][0]["port"] = 9093;
    auto third = applier.apply(svcs, svc, &owner.value());
    ASSERT_TRUE(third) << third.error().message();
    EXPECT_EQ(third.value().action, runtime::ApplyAction::Patched);
    EXPECT_EQ(third.value().object["spec"]["ports"][0]["port"], 9093);
}

TEST_F(KubeApiTest, EventIsRecordedAndARepeatCountsUp) {
    auto obj = client_->create(cms_, ns_, config_map("ev", "1"));
    ASSERT_TRUE(obj);
    runtime::EventRecorder recorder(*client_, "tributary-operator-test");
    ASSERT_TRUE(recorder.record(obj.value(), "Normal", "Created", "made a thing"));
    ASSERT_TRUE(recorder.record(obj.value(), "Normal", "Created", "made a thing"));
    ASSERT_TRUE(recorder.record(obj.value(), "Warning", "Failed", "could not"));
    kube::ListOptions opts;
    opts.field_selector = "involvedObject.name=ev";
    auto events = client_->list(kube::events_v1(), ns_, opts);
    ASSERT_TRUE(events);
    ASSERT_EQ(events.value()["items"].size(), 2u);
    for (const auto& e : events.value()["items"]) {
        EXPECT_EQ(e["involvedObject"]["uid"], obj.value()["metadata"]["uid"]);
        EXPECT_EQ(e["count"], e["reason"] == "Created" ? 2 : 1);
    }
}

TEST_F(KubeApiTest, FinalizerHoldsDeletionUntilReleased) {
    auto obj = client_->create(cms_, ns_, config_map("f", "1"));
    ASSERT_TRUE(obj);
    auto held = runtime::ensure_finalizer(*client_, cms_, obj.value(), "tributary.io/test");
    ASSERT_TRUE(held) << held.error().message();
    ASSERT_TRUE(client_->remove(cms_, ns_, "f"));
    auto deleting = client_->get(cms_, ns_, "f");
    ASSERT_TRUE(deleting);
    EXPECT_TRUE(runtime::is_deleting(deleting.value()));
    ASSERT_TRUE(runtime::release_finalizer(*client_, cms_, deleting.value(), "tributary.io/test"));
    auto gone = client_->get(cms_, ns_, "f");
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error(), Errc::NotFound);
}

}  // namespace
}  // namespace kop
