#include "operator/runtime/leader_election.h"

#include "common/log.h"
#include "operator/runtime/conditions.h"

namespace kop::runtime {

using Clock = std::chrono::steady_clock;

LeaderElector::LeaderElector(kube::KubeClient& client, LeaderElectionConfig config,
                             Callback started_leading, Callback stopped_leading)
    : client_(client),
      config_(std::move(config)),
      started_(std::move(started_leading)),
      stopped_(std::move(stopped_leading)) {}

LeaderElector::~LeaderElector() {
    stop();
}

void LeaderElector::start() {
    std::lock_guard lock(mu_);
    if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { run(); });
}

void LeaderElector::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

bool LeaderElector::wait(std::chrono::milliseconds d) {
    std::unique_lock lock(mu_);
    return !cv_.wait_for(lock, d, [this] { return stopping_; });
}

Json LeaderElector::desired_spec(const Json& current, bool held_by_me) const {
    std::string now = now_rfc3339_micro();
    Json spec = current.is_object() ? current : Json::object();
    spec["holderIdentity"] = config_.identity;
    spec["leaseDurationSeconds"] = std::max<long long>(
        1, std::chrono::duration_cast<std::chrono::seconds>(config_.lease_duration).count());
    spec["renewTime"] = now;
    if (!held_by_me) {
        spec["acquireTime"] = now;
        spec["leaseTransitions"] = spec.value("leaseTransitions", 0) + (current.is_null() ? 0 : 1);
    }
    return spec;
}

common::Result<bool> LeaderElector::try_acquire_or_renew() {
    auto got = client_.get(kube::leases_v1(), config_.ns, config_.name);
    if (!got) {
        if (got.error() != kube::Errc::NotFound) return got.error();
        Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                      {"kind", "Lease"},
                      {"metadata", {{"name", config_.name}, {"namespace", config_.ns}}},
                      {"spec", desired_spec(Json(), false)}};
        auto created = client_.create(kube::leases_v1(), config_.ns, lease);
        if (!created) {
            if (created.error() == kube::Errc::AlreadyExists) return false;
            return created.error();
        }
        observed_spec_ = created.value()["spec"];
        observed_at_ = Clock::now();
        return true;
    }
    Json lease = got.value();
    Json spec = lease.value("spec", Json::object());
    if (spec != observed_spec_) {
        observed_spec_ = spec;
        observed_at_ = Clock::now();
    }
    std::string holder = spec.value("holderIdentity", "");
    bool mine = holder == config_.identity;
    auto duration = std::chrono::seconds(spec.value("leaseDurationSeconds", 0));
    if (!holder.empty() && !mine && Clock::now() < observed_at_ + duration) return false;
    lease["spec"] = desired_spec(spec, mine);
    auto updated = client_.update(kube::leases_v1(), config_.ns, lease);
    if (!updated) {
        if (updated.error() == kube::Errc::Conflict) return false;
        return updated.error();
    }
    observed_spec_ = updated.value()["spec"];
    observed_at_ = Clock::now();
    return true;
}

common::Result<void> LeaderElector::release() {
    TRIBUTARY_TRY(lease, client_.get(kube::leases_v1(), config_.ns, config_.name));
    if (lease["spec"].value("holderIdentity", "") != config_.identity) return common::ok();
    lease["spec"]["holderIdentity"] = "";
    lease["spec"]["leaseDurationSeconds"] = 1;
    lease["spec"]["renewTime"] = now_rfc3339_micro();
    TRIBUTARY_TRY(client_.update(kube::leases_v1(), config_.ns, lease));
    return common::ok();
}

void LeaderElector::run() {
    auto log = common::log::get("leader");
    for (;;) {
        // Acquire.
        while (!leader_) {
            auto r = try_acquire_or_renew();
            if (r && r.value()) break;
            if (!r) log->warn("lease {}/{}: {}", config_.ns, config_.name, r.error().message());
            if (!wait(config_.retry_period)) return;
        }
        leader_ = true;
        log->info("{} became leader (lease {}/{})", config_.identity, config_.ns, config_.name);
        if (started_) started_();
        // Renew until stopped or the renew deadline passes without success.
        auto last_renew = Clock::now();
        bool stopping = false;
        while (!(stopping = !wait(config_.retry_period))) {
            auto r = try_acquire_or_renew();
            if (r && r.value()) {
                last_renew = Clock::now();
            } else if (Clock::now() - last_renew > config_.renew_deadline) {
                break;
            }
        }
        leader_ = false;
        if (stopping) {
            auto released = release();
            if (!released) log->warn("releasing lease: {}", released.error().message());
        } else {
            log->error("{} lost leadership", config_.identity);
        }
        if (stopped_) stopped_();
        if (stopping) return;
    }
}

}  // namespace kop::runtime
