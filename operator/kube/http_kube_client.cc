#include "operator/kube/http_kube_client.h"

#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "common/log.h"
#include "operator/kube/http_connection.h"
#include "operator/kube/watch_stream.h"

namespace kop::kube {
namespace {

constexpr size_t kMaxBody = 512 * 1024 * 1024;
constexpr size_t kMaxIdle = 4;

common::Result<Endpoint> parse_server(const std::string& server) {
    const std::string scheme = "https://";
    if (server.rfind(scheme, 0) != 0) return make_error_code(Errc::BadConfig);
    std::string rest = server.substr(scheme.size());
    rest = rest.substr(0, rest.find('/'));
    Endpoint ep;
    if (!rest.empty() && rest[0] == '[') {
        size_t close = rest.find(']');
        if (close == std::string::npos) return make_error_code(Errc::BadConfig);
        ep.host = rest.substr(1, close - 1);
        ep.port = close + 2 <= rest.size() ? rest.substr(close + 2) : "";
    } else {
        size_t colon = rest.rfind(':');
        ep.host = rest.substr(0, colon);
        ep.port = colon == std::string::npos ? "" : rest.substr(colon + 1);
    }
    if (ep.port.empty()) ep.port = "443";
    if (ep.host.empty()) return make_error_code(Errc::BadConfig);
    return ep;
}

std::string patch_content_type(PatchType type) {
    switch (type) {
        case PatchType::Merge:
            return "application/merge-patch+json";
        case PatchType::JsonPatch:
            return "application/json-patch+json";
        case PatchType::StrategicMerge:
            return "application/strategic-merge-patch+json";
    }
    return "application/merge-patch+json";
}

std::string read_token_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    std::string token = out.str();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
        token.pop_back();
    }
    return token;
}

struct Response {
    int status = 0;
    std::string body;
};

}  // namespace

// Maps a non-2xx response to an Errc, preferring the Status reason over the bare code.
std::error_code status_error(int status, const std::string& body, bool create) {
    Json parsed = Json::parse(body, nullptr, false);
    std::string reason = parsed.is_object() ? parsed.value("reason", "") : "";
    if (reason == "AlreadyExists") return make_error_code(Errc::AlreadyExists);
    if (reason == "Conflict") return make_error_code(Errc::Conflict);
    if (reason == "Expired" || reason == "Gone") return make_error_code(Errc::Gone);
    return make_error_code(errc_from_http_status(status, create));
}

struct HttpKubeClient::Impl {
    KubeConfig config;
    Endpoint endpoint;
    ssl::context tls{ssl::context::tls_client};
    std::chrono::seconds timeout;
    std::mutex mu;
    std::vector<std::unique_ptr<HttpConnection>> idle;

    std::string token() const {
        return config.token_file.empty() ? config.token : read_token_file(config.token_file);
    }

    Result<std::unique_ptr<HttpConnection>> connect() {
        auto conn = std::make_unique<HttpConnection>(tls);
        TRIBUTARY_TRY(conn->connect(endpoint, timeout));
        return conn;
    }

    http::request<http::string_body> make_request(http::verb verb, const std::string& target,
                                                  const std::string& body,
                                                  const std::string& content_type) {
        http::request<http::string_body> req{verb, target, 11};
        req.set(http::field::host, endpoint.host);
        req.set(http::field::user_agent, "tributary-operator");
        req.set(http::field::accept, "application/json");
        std::string bearer = token();
        if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
        if (!body.empty()) {
            req.set(http::field::content_type, content_type);
            req.body() = body;
        }
        req.keep_alive(true);
        req.prepare_payload();
        return req;
    }

    Result<Response> once(HttpConnection& conn, http::request<http::string_body>& req) {
        TRIBUTARY_TRY(conn.write(req, timeout));
        http::response_parser<http::string_body> parser;
        parser.body_limit(kMaxBody);
        TRIBUTARY_TRY(conn.read(parser, timeout));
        auto& res = parser.get();
        return Response{static_cast<int>(res.result_int()), std::move(res.body())};
    }

    Result<Response> request(http::verb verb, const std::string& target,
                             const std::string& body = "",
                             const std::string& content_type = "application/json") {
        auto req = make_request(verb, target, body, content_type);
        std::unique_ptr<HttpConnection> conn;
        {
            std::lock_guard lock(mu);
            if (!idle.empty()) {
                conn = std::move(idle.back());
                idle.pop_back();
            }
        }
        Result<Response> res = make_error_code(Errc::Transient);
        if (conn) res = once(*conn, req);  // a pooled connection the server may have closed
        if (!res) {
            TRIBUTARY_TRY(fresh, connect());
            conn = std::move(fresh);
            res = once(*conn, req);
        }
        if (res) {
            std::lock_guard lock(mu);
            if (idle.size() < kMaxIdle) idle.push_back(std::move(conn));
        }
        return res;
    }

    Result<Json> json_call(http::verb verb, const std::string& target, const std::string& body = "",
                           const std::string& content_type = "application/json") {
        TRIBUTARY_TRY(res, request(verb, target, body, content_type));
        if (res.status < 200 || res.status >= 300) {
            common::log::get("kube")->debug("{} {} -> {}: {}", std::string(to_string(verb)), target,
                                            res.status, res.body.substr(0, 512));
            return status_error(res.status, res.body, verb == http::verb::post);
        }
        Json parsed = Json::parse(res.body, nullptr, false);
        if (parsed.is_discarded()) return make_error_code(Errc::Transient);
        return parsed;
    }
};

HttpKubeClient::HttpKubeClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpKubeClient::~HttpKubeClient() = default;

Result<std::unique_ptr<HttpKubeClient>> HttpKubeClient::create(const KubeConfig& config,
                                                               std::chrono::seconds timeout) {
    auto impl = std::make_unique<Impl>();
    impl->config = config;
    impl->timeout = timeout;
    TRIBUTARY_TRY(ep, parse_server(config.server));
    impl->endpoint = ep;
    boost::system::error_code ec;
    if (config.insecure_skip_tls_verify) {
        impl->tls.set_verify_mode(ssl::verify_none);
    } else {
        impl->tls.set_verify_mode(ssl::verify_peer);
        if (config.ca_pem.empty()) {
            impl->tls.set_default_verify_paths(ec);
        } else {
            impl->tls.add_certificate_authority(common::asio::buffer(config.ca_pem), ec);
        }
        if (ec) return make_error_code(Errc::BadConfig);
    }
    if (!config.client_cert_pem.empty()) {
        impl->tls.use_certificate_chain(common::asio::buffer(config.client_cert_pem), ec);
        if (!ec) {
            impl->tls.use_private_key(common::asio::buffer(config.client_key_pem),
                                      ssl::context::pem, ec);
        }
        if (ec) return make_error_code(Errc::BadConfig);
    }
    return std::unique_ptr<HttpKubeClient>(new HttpKubeClient(std::move(impl)));
}

std::string list_query(const ListOptions& opts, bool watch) {
    std::vector<std::string> params;
    if (watch) {
        params.push_back("watch=true");
        if (opts.allow_watch_bookmarks) params.push_back("allowWatchBookmarks=true");
        if (opts.timeout_seconds > 0) {
            params.push_back("timeoutSeconds=" + std::to_string(opts.timeout_seconds));
        }
    } else {
        if (opts.limit > 0) params.push_back("limit=" + std::to_string(opts.limit));
        if (!opts.continue_token.empty()) {
            params.push_back("continue=" + url_encode(opts.continue_token));
        }
    }
    if (!opts.label_selector.empty()) {
        params.push_back("labelSelector=" + url_encode(opts.label_selector));
    }
    if (!opts.field_selector.empty()) {
        params.push_back("fieldSelector=" + url_encode(opts.field_selector));
    }
    if (!opts.resource_version.empty()) {
        params.push_back("resourceVersion=" + url_encode(opts.resource_version));
    }
    std::string q;
    for (const auto& p : params) q += (q.empty() ? "?" : "&") + p;
    return q;
}

namespace {
std::string name_of(const Json& obj) {
    return obj.contains("metadata") ? obj["metadata"].value("name", "") : "";
}
}  // namespace

Result<Json> HttpKubeClient::get(const Gvr& gvr, const std::string& ns, const std::string& name) {
    return impl_->json_call(http::verb::get, object_path(gvr, ns, name));
}

Result<Json> HttpKubeClient::list(const Gvr& gvr, const std::string& ns, const ListOptions& o) {
    return impl_->json_call(http::verb::get, collection_path(gvr, ns) + list_query(o, false));
}

Result<Json> HttpKubeClient::create(const Gvr& gvr, const std::string& ns, const Json& obj) {
    return impl_->json_call(http::verb::post, collection_path(gvr, ns), obj.dump());
}

Result<Json> HttpKubeClient::update(const Gvr& gvr, const std::string& ns, const Json& obj) {
    return impl_->json_call(http::verb::put, object_path(gvr, ns, name_of(obj)), obj.dump());
}

Result<Json> HttpKubeClient::update_status(const Gvr& gvr, const std::string& ns, const Json& obj) {
    return impl_->json_call(http::verb::put, object_path(gvr, ns, name_of(obj), "status"),
                            obj.dump());
}

Result<Json> HttpKubeClient::patch(const Gvr& gvr, const std::string& ns, const std::string& name,
                                   PatchType type, const Json& patch,
                                   const std::string& subresource) {
    return impl_->json_call(http::verb::patch, object_path(gvr, ns, name, subresource),
                            patch.dump(), patch_content_type(type));
}

Result<void> HttpKubeClient::remove(const Gvr& gvr, const std::string& ns, const std::string& name,
                                    const DeleteOptions& opts) {
    Json body = {{"kind", "DeleteOptions"},
                 {"apiVersion", "v1"},
                 {"propagationPolicy", opts.propagation_policy}};
    if (!opts.precondition_resource_version.empty()) {
        body["preconditions"]["resourceVersion"] = opts.precondition_resource_version;
    }
    if (!opts.precondition_uid.empty()) body["preconditions"]["uid"] = opts.precondition_uid;
    TRIBUTARY_TRY(impl_->json_call(http::verb::delete_, object_path(gvr, ns, name), body.dump()));
    return common::ok();
}

Result<std::unique_ptr<WatchStream>> HttpKubeClient::watch(const Gvr& gvr, const std::string& ns,
                                                           const ListOptions& opts) {
    TRIBUTARY_TRY(conn, impl_->connect());
    auto req = impl_->make_request(http::verb::get,
                                   collection_path(gvr, ns) + list_query(opts, true), "", "");
    auto read_timeout =
        std::chrono::seconds(opts.timeout_seconds > 0 ? opts.timeout_seconds + 60 : 600);
    return open_http_watch(std::move(conn), req, impl_->timeout, read_timeout);
}

Result<std::vector<ApiResource>> HttpKubeClient::server_resources(const std::string& gv) {
    std::string path = gv.find('/') == std::string::npos ? "/api/" + gv : "/apis/" + gv;
    TRIBUTARY_TRY(doc, impl_->json_call(http::verb::get, path));
    std::vector<ApiResource> out;
    if (!doc.contains("resources") || !doc["resources"].is_array()) return out;
    for (const auto& r : doc["resources"]) {
        out.push_back(
            ApiResource{r.value("name", ""), r.value("kind", ""), r.value("namespaced", true)});
    }
    return out;
}

}  // namespace kop::kube
