#pragma once
// The reconcile contract (CONVENTIONS.md) and the loop that drives it.
//
//   class MyReconciler : public kop::runtime::Reconciler {
//       Result<Outcome> reconcile(const ObjectKey& key) override;  // level-based, idempotent
//   };
//
// Outcome::done() forgets the key's backoff; requeue_after(d) looks again after d;
// terminal() stops retrying until the object changes again (an invalid spec). An error result
// is retried with per-key exponential backoff (a Conflict is normal and logged at debug).
// Controller owns its work queue and worker threads; the Reconciler outlives the controller.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "operator/runtime/informer.h"
#include "operator/runtime/metrics.h"
#include "operator/runtime/object_key.h"
#include "operator/runtime/work_queue.h"

namespace kop::runtime {

struct Outcome {
    enum class Kind { Done, RequeueAfter, Terminal };
    Kind kind = Kind::Done;
    Duration after{0};

    static Outcome done() { return {}; }
    static Outcome requeue_after(Duration d) { return {Kind::RequeueAfter, d}; }
    static Outcome terminal() { return {Kind::Terminal, Duration{0}}; }
};

class Reconciler {
  public:
    virtual ~Reconciler() = default;
    virtual common::Result<Outcome> reconcile(const ObjectKey& key) = 0;
};

class Controller {
  public:
    Controller(std::string name, Reconciler& reconciler, Metrics& metrics, int workers = 1,
               Backoff backoff = {});
    ~Controller();
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    const std::string& name() const { return name_; }
    WorkQueue& queue() { return queue_; }

    // Handlers to hang on informers: the object's own key, or its controlling owner's key
    // when that owner has this kind (and API group, "" = core).
    InformerHandler enqueue_self();
    InformerHandler enqueue_owner(const std::string& owner_kind, const std::string& owner_group);

    void start();  // spawns the workers
    void stop();   // shuts the queue down and joins; idempotent

    // One pass of one worker: take a key, reconcile, account. False when the queue shut down.
    bool process_next();

  private:
    void handle(const std::string& key, const common::Result<Outcome>& result);

    std::string name_;
    Reconciler& reconciler_;
    Metrics& metrics_;
    int workers_count_;
    WorkQueue queue_;
    std::vector<std::thread> workers_;
};

}  // namespace kop::runtime
