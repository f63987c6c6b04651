#include "operator/kube/kubeconfig.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "operator/kube/errc.h"
#include "operator/kube/yaml_lite.h"

extern char** environ;

namespace kop::kube {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

common::Result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error_code(Errc::BadConfig);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string resolve_path(const std::string& path, const std::string& base_dir) {
    if (path.empty() || fs::path(path).is_absolute() || base_dir.empty()) return path;
    return (fs::path(base_dir) / path).string();
}

// Finds the entry named `name` in a kubeconfig list (clusters, users, contexts).
const json* named_entry(const json& root, const char* list, const char* field,
                        const std::string& name) {
    if (!root.contains(list) || !root[list].is_array()) return nullptr;
    for (const auto& e : root[list]) {
        if (e.is_object() && e.value("name", "") == name && e.contains(field) &&
            e[field].is_object()) {
            return &e[field];
        }
    }
    return nullptr;
}

std::string str(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Either inline base64 data (`<key>-data`) or a file (`<key>`).
common::Result<std::string> data_or_file(const json& obj, const std::string& key,
                                         const std::string& base_dir) {
    std::string data = str(obj, (key + "-data").c_str());
    if (!data.empty()) return base64_decode(data);
    std::string file = str(obj, key.c_str());
    if (file.empty()) return std::string();
    return read_file(resolve_path(file, base_dir));
}

common::Result<void> fill_cluster(const json& cluster, const std::string& base_dir,
                                  KubeConfig& cfg) {
    cfg.server = str(cluster, "server");
    if (cfg.server.empty()) return make_error_code(Errc::BadConfig);
    auto insecure = cluster.find("insecure-skip-tls-verify");
    cfg.insecure_skip_tls_verify =
        insecure != cluster.end() && insecure->is_boolean() && insecure->get<bool>();
    TRIBUTARY_TRY(ca, data_or_file(cluster, "certificate-authority", base_dir));
    cfg.ca_pem = std::move(ca);
    return common::ok();
}

common::Result<void> fill_user(const json& user, const std::string& base_dir, KubeConfig& cfg) {
    cfg.token = str(user, "token");
    std::string token_file = str(user, "tokenFile");
    if (cfg.token.empty() && !token_file.empty()) {
        cfg.token_file = resolve_path(token_file, base_dir);
        TRIBUTARY_TRY(token, read_file(cfg.token_file));
        cfg.token = token;
    }
    TRIBUTARY_TRY(cert, data_or_file(user, "client-certificate", base_dir));
    TRIBUTARY_TRY(key, data_or_file(user, "client-key", base_dir));
    cfg.client_cert_pem = std::move(cert);
    cfg.client_key_pem = std::move(key);
    return common::ok();
}

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    size_t first = s.find_first_not_of(" \t\r\n");
    return first == std::string::npos ? std::string() : s.substr(first);
}

}  // namespace

common::Result<std::string> base64_decode(const std::string& in) {
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+' || c == '-')
            v = 62;
        else if (c == '/' || c == '_')
            v = 63;
        else if (c == '=' || std::isspace(static_cast<unsigned char>(c)))
            continue;
        else
            return make_error_code(Errc::BadConfig);
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

common::Result<KubeConfig> parse_kubeconfig(const std::string& text, const std::string& base_dir,
                                            const std::string& context) {
    auto parsed = parse_yaml_lite(text);
    if (!parsed || !parsed.value().is_object()) return make_error_code(Errc::BadConfig);
    const json& root = parsed.value();
    std::string ctx_name = context.empty() ? str(root, "current-context") : context;
    const json* ctx = named_entry(root, "contexts", "context", ctx_name);
    if (ctx == nullptr) return make_error_code(Errc::BadConfig);
    const json* cluster = named_entry(root, "clusters", "cluster", str(*ctx, "cluster"));
    if (cluster == nullptr) return make_error_code(Errc::BadConfig);
    KubeConfig cfg;
    TRIBUTARY_TRY(fill_cluster(*cluster, base_dir, cfg));
    const json* user = named_entry(root, "users", "user", str(*ctx, "user"));
    if (user != nullptr) {
        TRIBUTARY_TRY(fill_user(*user, base_dir, cfg));
    }
    std::string ns = str(*ctx, "namespace");
    if (!ns.empty()) cfg.default_namespace = ns;
    return cfg;
}

common::Result<KubeConfig> load_kubeconfig_file(const std::string& path,
                                                const std::string& context) {
    TRIBUTARY_TRY(text, read_file(path));
    return parse_kubeconfig(text, fs::path(path).parent_path().string(), context);
}

common::Result<KubeConfig> in_cluster_config(const std::map<std::string, std::string>& env,
                                             const std::string& sa_dir) {
    auto host = env.find("KUBERNETES_SERVICE_HOST");
    auto port = env.find("KUBERNETES_SERVICE_PORT");
    if (host == env.end() || port == env.end()) return make_error_code(Errc::BadConfig);
    KubeConfig cfg;
    bool ipv6 = host->second.find(':') != std::string::npos;
    cfg.server = "https://" + (ipv6 ? "[" + host->second + "]" : host->second) + ":" + port->second;
    cfg.token_file = sa_dir + "/token";
    TRIBUTARY_TRY(token, read_file(cfg.token_file));
    cfg.token = trim(token);
    TRIBUTARY_TRY(ca, read_file(sa_dir + "/ca.crt"));
    cfg.ca_pem = ca;
    auto ns = read_file(sa_dir + "/namespace");
    if (ns && !trim(ns.value()).empty()) cfg.default_namespace = trim(ns.value());
    return cfg;
}

common::Result<KubeConfig> resolve_kubeconfig(const std::string& flag_path,
                                              const std::map<std::string, std::string>& env) {
    if (!flag_path.empty()) return load_kubeconfig_file(flag_path);
    auto kc = env.find("KUBECONFIG");
    if (kc != env.end() && !kc->second.empty()) {
        std::istringstream paths(kc->second);
        std::string p;
        while (std::getline(paths, p, ':')) {
            std::error_code ec;
            if (!p.empty() && fs::exists(p, ec)) return load_kubeconfig_file(p);
        }
    }
    if (env.count("KUBERNETES_SERVICE_HOST")) return in_cluster_config(env);
    auto home = env.find("HOME");
    if (home != env.end()) return load_kubeconfig_file(home->second + "/.kube/config");
    return make_error_code(Errc::BadConfig);
}

std::map<std::string, std::string> process_env() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        std::string kv(*e);
        size_t eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return env;
}

}  // namespace kop::kube
