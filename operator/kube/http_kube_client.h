#pragma once
// HttpKubeClient: KubeClient over HTTPS (Boost.Beast + OpenSSL), synchronous calls with
// timeouts, a small pool of keep-alive connections, and one dedicated connection per watch.
// Thread-safe; owns its TLS context and idle connections. Beast stays inside the .cc.

#include <chrono>
#include <memory>

#include "operator/kube/kube_client.h"
#include "operator/kube/kubeconfig.h"

namespace kop::kube {

class HttpKubeClient final : public KubeClient {
  public:
    // BadConfig when the server URL, CA or client key pair cannot be used.
    static Result<std::unique_ptr<HttpKubeClient>> create(
        const KubeConfig& config, std::chrono::seconds request_timeout = std::chrono::seconds(30));
    ~HttpKubeClient() override;

    Result<Json> get(const Gvr& gvr, const std::string& ns, const std::string& name) override;
    Result<Json> list(const Gvr& gvr, const std::string& ns, const ListOptions& opts) override;
    Result<Json> create(const Gvr& gvr, const std::string& ns, const Json& obj) override;
    Result<Json> update(const Gvr& gvr, const std::string& ns, const Json& obj) override;
    Result<Json> update_status(const Gvr& gvr, const std::string& ns, const Json& obj) override;
    Result<Json> patch(const Gvr& gvr, const std::string& ns, const std::string& name,
                       PatchType type, const Json& patch,
                       const std::string& subresource = "") override;
    Result<void> remove(const Gvr& gvr, const std::string& ns, const std::string& name,
                        const DeleteOptions& opts = {}) override;
    Result<std::unique_ptr<WatchStream>> watch(const Gvr& gvr, const std::string& ns,
                                               const ListOptions& opts) override;
    Result<std::vector<ApiResource>> server_resources(const std::string& group_version) override;

    struct Impl;

  private:
    explicit HttpKubeClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// "?labelSelector=...&..." for a list (watch=false) or a watch (watch=true).
std::string list_query(const ListOptions& opts, bool watch);

}  // namespace kop::kube
