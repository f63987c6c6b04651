#pragma once
// Client configuration: where the API server is and how to authenticate, loaded from a
// kubeconfig file or from the in-cluster service account. Pure data and file reading.

#include <map>
#include <string>

#include "common/result.h"

namespace kop::kube {

struct KubeConfig {
    std::string server;  // "https://host:port"
    std::string ca_pem;  // empty: system trust store
    bool insecure_skip_tls_verify = false;
    std::string token;            // bearer token
    std::string token_file;       // re-read on each connection when set (rotated SA tokens)
    std::string client_cert_pem;  // mTLS client certificate
    std::string client_key_pem;
    std::string default_namespace = "default";
};

// Parses kubeconfig text; relative file paths resolve against `base_dir`. `context` empty means
// current-context.
common::Result<KubeConfig> parse_kubeconfig(const std::string& text, const std::string& base_dir,
                                            const std::string& context = "");

common::Result<KubeConfig> load_kubeconfig_file(const std::string& path,
                                                const std::string& context = "");

// In-cluster: KUBERNETES_SERVICE_HOST/PORT and the service-account files under `sa_dir`.
common::Result<KubeConfig> in_cluster_config(
    const std::map<std::string, std::string>& env,
    const std::string& sa_dir = "/var/run/secrets/kubernetes.io/serviceaccount");

// The usual resolution order: `flag_path` (--kubeconfig), then $KUBECONFIG (first existing
// entry), then in-cluster when KUBERNETES_SERVICE_HOST is set, then $HOME/.kube/config.
common::Result<KubeConfig> resolve_kubeconfig(const std::string& flag_path,
                                              const std::map<std::string, std::string>& env);

// The process environment as a map (for resolve_kubeconfig / in_cluster_config).
std::map<std::string, std::string> process_env();

// Standard base64 decoding (whitespace ignored); Invalid on bad input.
common::Result<std::string> base64_decode(const std::string& in);

}  // namespace kop::kube
