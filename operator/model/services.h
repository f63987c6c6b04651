#pragma once
// Services of a KafkaCluster: the headless Service that gives each broker its DNS name, the
// bootstrap Service for in-cluster clients, and for nodeport/loadbalancer listeners one
// bootstrap Service per listener plus one Service per broker (each broker is addressed alone).

#include <vector>

#include "operator/model/names.h"
#include "operator/model/observed.h"

namespace kop::model {

// Every broker port (controller, replication, admin, listeners); publishes not-ready
// addresses so brokers find each other before they are ready.
Json render_headless_service(const KafkaCluster& c, const Observed& observed);
// ClusterIP Service on the internal listeners' ports.
Json render_bootstrap_service(const KafkaCluster& c, const Observed& observed);
// For each nodeport/loadbalancer listener: <name>-<l>-bootstrap, then <name>-broker-<n>-<l>
// for every broker.
std::vector<Json> render_external_services(const KafkaCluster& c, const Observed& observed);

}  // namespace kop::model
