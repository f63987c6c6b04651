#include "broker/cluster/topic_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/errc.h"
#include "common/log.h"

namespace broker::cluster {
namespace {

std::string to_hex(const TopicId& id) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (uint8_t b : id) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

bool from_hex(const std::string& s, TopicId& id) {
    if (s.size() != 32) return false;
    for (size_t i = 0; i < 16; ++i) {
        unsigned v = 0;
        if (std::sscanf(s.c_str() + 2 * i, "%2x", &v) != 1) return false;
        id[i] = static_cast<uint8_t>(v);
    }
    return true;
}

// Writes `data` to `path` durably: temp file + fsync + rename + fsync of the directory.
common::Result<void> write_atomically(const std::filesystem::path& path, const std::string& data) {
    auto tmp = path;
    tmp += ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return common::Errc::IoError;
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0) {
            ::close(fd);
            return common::Errc::IoError;
        }
        done += static_cast<size_t>(n);
    }
    bool ok = ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) return common::Errc::IoError;
    int dir = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return common::ok();
}

}  // namespace

TopicId make_topic_id() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    TopicId id{};
    do {
        for (size_t i = 0; i < 16; i += 8) {
            uint64_t r = rng();
            for (size_t j = 0; j < 8; ++j) id[i + j] = static_cast<uint8_t>(r >> (8 * j));
        }
        id[6] = static_cast<uint8_t>((id[6] & 0x0f) | 0x40);  // version 4
        id[8] = static_cast<uint8_t>((id[8] & 0x3f) | 0x80);  // RFC 4122 variant
    } while (id == TopicId{});
    return id;
}

std::string check_topic_name(std::string_view name) {
    if (name.empty()) return "Topic name is illegal, it can't be empty";
    if (name == "." || name == "..") return "Topic name cannot be \".\" or \"..\"";
    if (name.size() > 249) {
        return "Topic name is illegal, it can't be longer than 249 characters, topic name: " +
               std::string(name);
    }
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok) {
            return "Topic name \"" + std::string(name) +
                   "\" is illegal, it contains a character other than ASCII alphanumerics, '.', "
                   "'_' and '-'";
        }
    }
    return "";
}

common::Result<void> TopicTable::load() {
    auto path = dir_ / kFileName;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return common::ok();
    std::ifstream in(path);
    if (!in) return common::Errc::IoError;
    std::stringstream text;
    text << in.rdbuf();
    auto json = nlohmann::json::parse(text.str(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("topics") ||
        !json["topics"].is_array()) {
        common::log::get("cluster")->error("{} is not a valid topic table", path.string());
        return common::Errc::Malformed;
    }
    std::map<std::string, TopicInfo, std::less<>> loaded;
    try {
        for (const auto& t : json["topics"]) {
            TopicInfo info;
            info.name = t.at("name").get<std::string>();
            if (!from_hex(t.at("id").get<std::string>(), info.id)) return common::Errc::Malformed;
            info.partition_count = t.at("partitions").get<int32_t>();
            info.replication_factor = t.at("replication_factor").get<int16_t>();
            info.configs = t.at("configs").get<TopicConfigMap>();
            loaded[info.name] = std::move(info);
        }
    } catch (const nlohmann::json::exception& e) {
        common::log::get("cluster")->error("{}: {}", path.string(), e.what());
        return common::Errc::Malformed;
    }
    topics_ = std::move(loaded);
    return common::ok();
}

common::Result<void> TopicTable::save() const {
    nlohmann::json topics = nlohmann::json::array();
    for (const auto& [name, info] : topics_) {
        topics.push_back({{"name", info.name},
                          {"id", to_hex(info.id)},
                          {"partitions", info.partition_count},
                          {"replication_factor", info.replication_factor},
                          {"configs", info.configs}});
    }
    nlohmann::json doc = {{"version", 1}, {"topics", topics}};
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    return write_atomically(dir_ / kFileName, doc.dump(2) + "\n");
}

const TopicInfo* TopicTable::find(std::string_view name) const {
    auto it = topics_.find(name);
    return it == topics_.end() ? nullptr : &it->second;
}

common::Result<void> TopicTable::add(TopicInfo info) {
    if (topics_.count(info.name) != 0) return common::Errc::AlreadyExists;
    auto name = info.name;
    topics_.emplace(std::move(name), std::move(info));
    return common::ok();
}

common::Result<void> TopicTable::remove(std::string_view name) {
    auto it = topics_.find(name);
    if (it == topics_.end()) return common::Errc::NotFound;
    topics_.erase(it);
    return common::ok();
}

common::Result<void> TopicTable::update(TopicInfo info) {
    auto it = topics_.find(info.name);
    if (it == topics_.end()) return common::Errc::NotFound;
    it->second = std::move(info);
    return common::ok();
}

std::shared_ptr<const TopicSnapshot> TopicTable::snapshot() const {
    return std::make_shared<const TopicSnapshot>(topics_);
}

}  // namespace broker::cluster
