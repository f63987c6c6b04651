#include "operator/kube/kubeconfig.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "operator/kube/errc.h"
#include "operator/kube/http_kube_client.h"
#include "operator/kube/yaml_lite.h"

namespace kop::kube {
namespace {

class TempDir {
  public:
    TempDir() {
        char tmpl[] = "/tmp/kop-kubeconfig-XXXXXX";
        path_ = mkdtemp(tmpl);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string write(const std::string& name, const std::string& text) const {
        std::string p = path_ + "/" + name;
        std::ofstream(p) << text;
        return p;
    }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

const char* kKubeconfig = R"(apiVersion: v1
kind: Config
# two clusters, two users, two contexts
clusters:
- cluster:
    certificate-authority: ca.crt
    server: https://127.0.0.1:6443
  name: local
- name: remote
  cluster:
    server: "https://[::1]:443"
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: abc123
- name: certs
  user:
    client-certificate-data: Q0VSVA==
    client-key-data: S0VZ
contexts:
- name: one
  context: {"cluster": "local", "user": "admin", "namespace": "kafka"}
- name: two
  context:
    cluster: remote
    user: certs
current-context: one
preferences: {}
)";

TEST(KubeconfigTest, CurrentContextGivesServerTokenNamespaceAndCaFileRelativeToTheConfig) {
    TempDir dir;
    dir.write("ca.crt", "PEM-CA");
    auto path = dir.write("config", kKubeconfig);
    auto cfg = load_kubeconfig_file(path);
    ASSERT_TRUE(cfg) << cfg.error().message();
    EXPECT_EQ(cfg.value().server, "https://127.0.0.1:6443");
    EXPECT_EQ(cfg.value().token, "abc123");
    EXPECT_EQ(cfg.value().ca_pem, "PEM-CA");
    EXPECT_EQ(cfg.value().default_namespace, "kafka");
    EXPECT_FALSE(cfg.value().insecure_skip_tls_verify);
}

TEST(KubeconfigTest, NamedContextGivesInlineClientCertificateAndInsecureFlag) {
    auto cfg = parse_kubeconfig(kKubeconfig, "/nowhere", "two");
    ASSERT_TRUE(cfg) << cfg.error().message();
    EXPECT_EQ(cfg.value().server, "https://[::1]:443");
    EXPECT_TRUE(cfg.value().insecure_skip_tls_verify);
    EXPECT_EQ(cfg.value().client_cert_pem, "CERT");
    EXPECT_EQ(cfg.value().client_key_pem, "KEY");
    EXPECT_EQ(cfg.value().default_namespace, "default");
}

TEST(KubeconfigTest, UnknownContextOrGarbageIsBadConfig) {
    auto missing = parse_kubeconfig(kKubeconfig, "", "three");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), Errc::BadConfig);
    auto garbage = parse_kubeconfig("clusters: [oops", "");
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error(), Errc::BadConfig);
}

TEST(KubeconfigTest, InClusterConfigReadsServiceAccountFilesAndEnvironment) {
    TempDir dir;
    dir.write("token", "sa-token\n");
    dir.write("ca.crt", "SA-CA");
    dir.write("namespace", "ops");
    std::map<std::string, std::string> env = {{"KUBERNETES_SERVICE_HOST", "10.0.0.1"},
                                              {"KUBERNETES_SERVICE_PORT", "443"}};
    auto cfg = in_cluster_config(env, dir.path());
    ASSERT_TRUE(cfg) << cfg.error().message();
    EXPECT_EQ(cfg.value().server, "https://10.0.0.1:443");
    EXPECT_EQ(cfg.value().token, "sa-token");
    EXPECT_EQ(cfg.value().ca_pem, "SA-CA");
    EXPECT_EQ(cfg.value().default_namespace, "ops");
}

TEST(KubeconfigTest, ResolutionPrefersFlagThenKubeconfigEnvThenHome) {
    TempDir dir;
    dir.write("ca.crt", "X");
    auto flag = dir.write("flag", kKubeconfig);
    std::string other = std::string(kKubeconfig);
    other.replace(other.find("current-context: one"), 20, "current-context: two");
    auto envfile = dir.write("env", other);
    std::filesystem::create_directories(dir.path() + "/home/.kube");
    dir.write("home/.kube/config", kKubeconfig);
    dir.write("home/.kube/ca.crt", "Y");
    std::map<std::string, std::string> env = {{"KUBECONFIG", "/missing:" + envfile},
                                              {"HOME", dir.path() + "/home"}};
    auto by_flag = resolve_kubeconfig(flag, env);
    ASSERT_TRUE(by_flag);
    EXPECT_EQ(by_flag.value().token, "abc123");
    auto by_env = resolve_kubeconfig("", env);
    ASSERT_TRUE(by_env);
    EXPECT_EQ(by_env.value().server, "https://[::1]:443");
    env.erase("KUBECONFIG");
    auto by_home = resolve_kubeconfig("", env);
    ASSERT_TRUE(by_home);
    EXPECT_EQ(by_home.value().server, "https://127.0.0.1:6443");
}

TEST(YamlLiteTest, ParsesNestedMappingsSequencesAndScalars) {
    auto doc = parse_yaml_lite(
        "a:\n  b: 1\n  c: 'it''s'\n  d:\n    - x\n    - y: true\n      z: ~\ne: \"q\"\n");
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc.value()["a"]["b"], 1);
    EXPECT_EQ(doc.value()["a"]["c"], "it's");
    EXPECT_EQ(doc.value()["a"]["d"][0], "x");
    EXPECT_EQ(doc.value()["a"]["d"][1]["y"], true);
    EXPECT_TRUE(doc.value()["a"]["d"][1]["z"].is_null());
    EXPECT_EQ(doc.value()["e"], "q");
}

TEST(YamlLiteTest, RejectsAnchorsAndBlockScalars) {
    EXPECT_FALSE(parse_yaml_lite("a: &x 1\n"));
    EXPECT_FALSE(parse_yaml_lite("a: |\n  text\n"));
}

TEST(Base64Test, DecodesWithAndWithoutPadding) {
    EXPECT_EQ(base64_decode("aGVsbG8=").value(), "hello");
    EXPECT_EQ(base64_decode("aGVsbG8").value(), "hello");
    EXPECT_FALSE(base64_decode("a$b"));
}

TEST(ListQueryTest, WatchQueryCarriesVersionBookmarksAndEncodedSelector) {
    ListOptions o;
    o.resource_version = "42";
    o.label_selector = "app=kafka,tier in (a b)";
    o.timeout_seconds = 300;
    EXPECT_EQ(list_query(o, true),
              "?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&labelSelector=app%3Dkafka%"
              "2Ctier%20in%20%28a%20b%29&resourceVersion=42");
    ListOptions page;
    page.limit = 500;
    page.continue_token = "tok";
    EXPECT_EQ(list_query(page, false), "?limit=500&continue=tok");
}

TEST(ResourcePathTest, CorePathsAndGroupPathsAndClusterScope) {
    EXPECT_EQ(object_path(core_v1("pods"), "ns", "p", "status"),
              "/api/v1/namespaces/ns/pods/p/status");
    EXPECT_EQ(collection_path(leases_v1(), ""), "/apis/coordination.k8s.io/v1/leases");
    EXPECT_EQ(object_path(core_v1("nodes", false), "ignored", "n"), "/api/v1/nodes/n");
}

TEST(ErrcTest, HttpStatusesMapToTheCasesCallersActOn) {
    EXPECT_EQ(errc_from_http_status(404, false), Errc::NotFound);
    EXPECT_EQ(errc_from_http_status(409, false), Errc::Conflict);
    EXPECT_EQ(errc_from_http_status(409, true), Errc::AlreadyExists);
    EXPECT_EQ(errc_from_http_status(410, false), Errc::Gone);
    EXPECT_EQ(errc_from_http_status(403, false), Errc::Forbidden);
    EXPECT_EQ(errc_from_http_status(422, false), Errc::Invalid);
    EXPECT_EQ(errc_from_http_status(503, false), Errc::Transient);
    EXPECT_EQ(errc_from_http_status(429, false), Errc::Transient);
}

}  // namespace
}  // namespace kop::kube
