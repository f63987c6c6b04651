#include "broker/cluster/cluster_id_follower.h"

#include "common/log.h"

namespace broker::cluster {

ClusterIdAction decide_cluster_id(const std::string& local, bool adoptable,
                                  const std::string& quorum) {
    if (quorum.empty()) return ClusterIdAction::Wait;
    if (quorum == local) return ClusterIdAction::Keep;
    return adoptable ? ClusterIdAction::Adopt : ClusterIdAction::Refuse;
}

ClusterIdFollower::ClusterIdFollower(std::filesystem::path dir, MetaProperties meta, bool adoptable,
                                     Accepted accepted, Refused refused)
    : dir_(std::move(dir)),
      meta_(std::move(meta)),
      adoptable_(adoptable),
      accepted_(std::move(accepted)),
      refused_(std::move(refused)) {}

void ClusterIdFollower::observe(const MetadataState& state) {
    if (settled_) return;
    const std::string& quorum = state.cluster_id();
    const std::string local = meta_.cluster_id;
    switch (decide_cluster_id(local, adoptable_, quorum)) {
        case ClusterIdAction::Wait:
            return;
        case ClusterIdAction::Keep:
            if (!adoptable_) break;
            [[fallthrough]];  // not written yet (open_meta_properties' write_new)
        case ClusterIdAction::Adopt: {
            auto rewritten = rewrite_cluster_id(dir_, meta_, quorum);
            if (!rewritten) {
                settled_ = true;
                refused_("cannot write " + (dir_ / MetaProperties::kFileName).string() +
                         " with the controller quorum's cluster id " + quorum + ": " +
                         rewritten.error().message());
                return;
            }
            meta_ = std::move(rewritten).value();
            common::log::get("cluster")->info(
                "cluster id {} of the controller quorum written to {}", quorum,
                (dir_ / MetaProperties::kFileName).string());
            break;
        }
        case ClusterIdAction::Refuse:
            settled_ = true;
            refused_("data directory " + dir_.string() + " belongs to cluster " + local +
                     ", the controller quorum is cluster " + quorum +
                     "; this broker does not join it (use a data directory of this cluster, or "
                     "an empty one)");
            return;
    }
    settled_ = true;
    accepted_(meta_);
}

}  // namespace broker::cluster
