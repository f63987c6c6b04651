// Golden-file tests for every renderer: each folder under golden/ holds input.json (a
// KafkaCluster and the Observed facts) and one file per rendered object. The test fails on any
// drift; UPDATE_GOLDEN=1 rewrites the files (then review the diff).

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "operator/model/broker_config.h"
#include "operator/model/cluster_objects.h"

namespace kop::model {
namespace {

namespace fs = std::filesystem;

fs::path golden_root() {
    const char* src = std::getenv("TRIBUTARY_SOURCE_DIR");
    return fs::path(src != nullptr ? src : ".") / "tests/operator/model/golden";
}

bool updating() {
    const char* v = std::getenv("UPDATE_GOLDEN");
    return v != nullptr && std::string(v) == "1";
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Case {
    KafkaCluster cluster;
    Observed observed;
};

Case load_case(const fs::path& dir) {
    Json input = Json::parse(read_file(dir / "input.json"));
    Case c;
    api::v1alpha1::FieldErrors errors;
    c.cluster = api::v1alpha1::decode_kafka_cluster(input.at("cluster"), errors);
    EXPECT_TRUE(errors.empty()) << api::v1alpha1::to_string(errors);
    EXPECT_TRUE(api::v1alpha1::validate(c.cluster).empty());
    c.observed.policy_v1 = input.at("observed").at("policyV1").get<bool>();
    c.observed.pvc_retention_policy = input.at("observed").at("pvcRetentionPolicy").get<bool>();
    return c;
}

// <kind>-<name>.json, lower case kind.
std::string file_name(const Json& object) {
    std::string kind = object.at("kind").get<std::string>();
    for (char& ch : kind) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return kind + "-" + object.at("metadata").at("name").get<std::string>() + ".json";
}

// Every rendered file for one case: file name -> content.
std::map<std::string, std::string> render_case(const Case& c) {
    std::map<std::string, std::string> out;
    ClusterObjects objects = render_cluster_objects(c.cluster, c.observed);
    for (const auto* list : {&objects.cluster_scoped, &objects.namespaced}) {
        for (const Json& o : *list) out[file_name(o)] = o.dump(2) + "\n";
    }
    // The properties file once more as plain text, easier to review than a JSON string.
    out["broker.properties"] = render_broker_properties(c.cluster, c.observed);
    return out;
}

void check_case(const fs::path& dir) {
    SCOPED_TRACE(dir.filename().string());
    auto rendered = render_case(load_case(dir));
    if (updating()) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.path().filename() != "input.json") fs::remove(entry.path());
        }
        for (const auto& [name, content] : rendered) std::ofstream(dir / name) << content;
        return;
    }
    std::set<std::string> on_disk;
    for (const auto& entry : fs::directory_iterator(dir)) {
        std::string name = entry.path().filename().string();
        if (name != "input.json") on_disk.insert(name);
    }
    for (const auto& [name, content] : rendered) {
        EXPECT_TRUE(on_disk.count(name) == 1) << name << " is rendered but has no golden file";
        if (on_disk.count(name) == 1) {
            EXPECT_EQ(read_file(dir / name), content) << name << " drifted (UPDATE_GOLDEN=1)";
        }
        on_disk.erase(name);
    }
    for (const auto& stale : on_disk) ADD_FAILURE() << stale << " is no longer rendered";
}

TEST(GoldenTest, EveryRenderedObjectMatchesItsGoldenFile) {
    int cases = 0;
    for (const auto& entry : fs::directory_iterator(golden_root())) {
        if (!entry.is_directory()) continue;
        check_case(entry.path());
        ++cases;
    }
    EXPECT_GE(cases, 2);
}

}  // namespace
}  // namespace kop::model
