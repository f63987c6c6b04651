#include "operator/model/rbac.h"

namespace kop::model {
namespace {

constexpr const char* kRbacApi = "rbac.authorization.k8s.io/v1";

Json subjects(const KafkaCluster& c) {
    return Json::array({Json{{"kind", "ServiceAccount"},
                             {"name", service_account_name(c)},
                             {"namespace", c.metadata.namespace_}}});
}

}  // namespace

Json render_service_account(const KafkaCluster& c, const Observed& /*observed*/) {
    return Json{{"apiVersion", "v1"},
                {"kind", "ServiceAccount"},
                {"metadata", owned_metadata(c, service_account_name(c), kComponentBroker)}};
}

Json render_role(const KafkaCluster& c, const Observed& /*observed*/) {
    return Json{{"apiVersion", kRbacApi},
                {"kind", "Role"},
                {"metadata", owned_metadata(c, service_account_name(c), kComponentBroker)},
                {"rules", Json::array({Json{{"apiGroups", Json::array({""})},
                                            {"resources", Json::array({"services"})},
                                            {"verbs", Json::array({"get"})}}})}};
}

Json render_role_binding(const KafkaCluster& c, const Observed& /*observed*/) {
    return Json{{"apiVersion", kRbacApi},
                {"kind", "RoleBinding"},
                {"metadata", owned_metadata(c, service_account_name(c), kComponentBroker)},
                {"roleRef",
                 {{"apiGroup", "rbac.authorization.k8s.io"},
                  {"kind", "Role"},
                  {"name", service_account_name(c)}}},
                {"subjects", subjects(c)}};
}

Json render_cluster_role(const KafkaCluster& c, const Observed& /*observed*/) {
    return Json{{"apiVersion", kRbacApi},
                {"kind", "ClusterRole"},
                {"metadata", cluster_scoped_metadata(c, cluster_role_name(c))},
                {"rules", Json::array({Json{{"apiGroups", Json::array({""})},
                                            {"resources", Json::array({"nodes"})},
                                            {"verbs", Json::array({"get"})}}})}};
}

Json render_cluster_role_binding(const KafkaCluster& c, const Observed& /*observed*/) {
    return Json{{"apiVersion", kRbacApi},
                {"kind", "ClusterRoleBinding"},
                {"metadata", cluster_scoped_metadata(c, cluster_role_name(c))},
                {"roleRef",
                 {{"apiGroup", "rbac.authorization.k8s.io"},
                  {"kind", "ClusterRole"},
                  {"name", cluster_role_name(c)}}},
                {"subjects", subjects(c)}};
}

}  // namespace kop::model
