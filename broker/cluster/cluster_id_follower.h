#pragma once
// ClusterIdFollower: a clustered node's check of its data directory against the controller
// quorum's cluster id (the ClusterId record, MetadataState::cluster_id()). Once the id is known:
//   - the same id as meta.properties: accepted;
//   - meta.properties did not exist at this process start and cluster.id is not configured (a
//     fresh data directory, whose meta.properties start-up left unwritten): the quorum's id,
//     the same or another, is written durably to meta.properties, then accepted;
//   - another id otherwise (a data directory or a cluster.id of another cluster): refused with
//     "data directory <dir> belongs to cluster X, the controller quorum is cluster Y".
// The broker registers only once accepted; a refusal stops it (app::Broker).
// Lives on the thread that applies the metadata log (shard 0); observe() acts once.

#include <filesystem>
#include <functional>
#include <string>

#include "broker/cluster/cluster_identity.h"
#include "broker/cluster/metadata_state.h"

namespace broker::cluster {

enum class ClusterIdAction {
    Wait,    // the quorum has no id yet
    Keep,    // the same id
    Adopt,   // a fresh data directory takes the quorum's id
    Refuse,  // the data directory belongs to another cluster
};

// What to do with `local` (meta.properties) once the quorum's id is `quorum` ("" = unknown).
// `adoptable`: meta.properties was created by this process start without a configured id.
ClusterIdAction decide_cluster_id(const std::string& local, bool adoptable,
                                  const std::string& quorum);

class ClusterIdFollower {
  public:
    using Accepted = std::function<void(const MetaProperties& meta)>;
    using Refused = std::function<void(const std::string& message)>;

    // `adoptable`: `meta` was made by this process start (not written yet) and cluster.id is not
    // configured.
    ClusterIdFollower(std::filesystem::path dir, MetaProperties meta, bool adoptable,
                      Accepted accepted, Refused refused);

    // Looks at an applied state; calls `accepted` or `refused` once the quorum's id is known.
    void observe(const MetadataState& state);
    // Whether `accepted` or `refused` has run.
    bool settled() const { return settled_; }

  private:
    std::filesystem::path dir_;
    MetaProperties meta_;
    bool adoptable_ = false;
    Accepted accepted_;
    Refused refused_;
    bool settled_ = false;
};

}  // namespace broker::cluster
