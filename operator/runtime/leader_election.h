#pragma once
// LeaderElector: Lease-based leader election (coordination.k8s.io/v1), the same protocol as
// client-go so mixed tools agree. A candidate takes the Lease when it is free, released, or not
// renewed for lease_duration as observed on the local clock; the leader renews every
// retry_period and gives up when it could not renew within renew_deadline. stop() releases the
// Lease (holder cleared) so a successor takes over at once. Owns one thread; callbacks run on it.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "operator/kube/kube_client.h"
#include "operator/runtime/object_key.h"

namespace kop::runtime {

struct LeaderElectionConfig {
    std::string ns;
    std::string name;
    std::string identity;
    std::chrono::milliseconds lease_duration{std::chrono::seconds(15)};
    std::chrono::milliseconds renew_deadline{std::chrono::seconds(10)};
    std::chrono::milliseconds retry_period{std::chrono::seconds(2)};
};

class LeaderElector {
  public:
    using Callback = std::function<void()>;

    LeaderElector(kube::KubeClient& client, LeaderElectionConfig config, Callback started_leading,
                  Callback stopped_leading);
    ~LeaderElector();

    void start();
    void stop();  // releases the Lease when leading, then joins
    bool is_leader() const { return leader_.load(); }

    // One attempt to acquire or renew; true when this candidate holds the Lease afterwards.
    common::Result<bool> try_acquire_or_renew();
    common::Result<void> release();

  private:
    void run();
    bool wait(std::chrono::milliseconds d);  // false when stopping
    Json desired_spec(const Json& current, bool held_by_me) const;

    kube::KubeClient& client_;
    LeaderElectionConfig config_;
    Callback started_;
    Callback stopped_;

    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::atomic<bool> leader_{false};
    std::thread thread_;
    Json observed_spec_;
    std::chrono::steady_clock::time_point observed_at_{};
};

}  // namespace kop::runtime
