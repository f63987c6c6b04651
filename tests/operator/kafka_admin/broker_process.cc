#include "tests/operator/kafka_admin/broker_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "operator/kafka_admin/kafka_admin_client.h"

namespace kop::testing {
namespace {

constexpr auto kReadyDeadline = std::chrono::seconds(30);

std::string make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kop-broker-XXXXXX").string();
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    return mkdtemp(buf.data()) != nullptr ? std::string(buf.data()) : std::string();
}

}  // namespace

std::string broker_binary() {
    const char* path = std::getenv("TRIBUTARY_BROKER");
    return path != nullptr ? path : "";
}

std::string private_loopback_address(const std::string& seed) {
    std::seed_seq seq(seed.begin(), seed.end());
    std::mt19937 rng(seq);
    rng.discard(static_cast<unsigned>(getpid()) % 1024);
    std::uniform_int_distribution<int> octet(2, 254);
    return "127.0.0." + std::to_string(octet(rng));
}

uint16_t free_port(const std::string& host) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    socklen_t len = sizeof addr;
    uint16_t port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        port = ntohs(addr.sin_port);
    }
    close(fd);
    return port;
}

BrokerProcess::~BrokerProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty() && std::getenv("TRIBUTARY_KEEP_TMP") == nullptr) {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
}

bool BrokerProcess::start(const std::string& seed, std::string host, uint16_t port,
                          const std::map<std::string, std::string>& extra) {
    if (broker_binary().empty()) {
        std::cerr << "TRIBUTARY_BROKER is not set\n";
        return false;
    }
    dir_ = make_temp_dir();
    log_dir_ = dir_ + "/data";
    std::filesystem::create_directories(log_dir_);
    const bool pick = host.empty() || port == 0;
    for (int attempt = 0; attempt < 3; ++attempt) {
        host_ = host.empty() ? private_loopback_address(seed + std::to_string(attempt)) : host;
        port_ = port != 0 ? port : free_port(host_);
        if (start_once(extra)) return true;
        if (!pick) break;
    }
    std::cerr << "--- broker log ---\n" << log_text() << "\n";
    return false;
}

bool BrokerProcess::start_once(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> props = {
        {"node.id", "1"},
        {"listeners", "PLAINTEXT://" + bootstrap()},
        {"advertised.listeners", "PLAINTEXT://" + bootstrap()},
        {"log.dirs", log_dir_}};
    for (const auto& [k, v] : extra) props[k] = v;
    std::vector<std::string> args = {broker_binary()};
    for (const auto& [k, v] : props) {
        args.push_back("--set");
        args.push_back(k + "=" + v);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log_path = dir_ + "/broker.log";
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) _exit(127);
        int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    if (pid_ < 0) return false;
    if (wait_ready()) return true;
    if (pid_ > 0) {  // wait_ready() clears pid_ when the broker already exited
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    return false;
}

bool BrokerProcess::wait_ready() {
    const auto until = std::chrono::steady_clock::now() + kReadyDeadline;
    kafka_admin::ClientOptions options;
    options.timeout = std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < until) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        if (kafka_admin::KafkaAdminClient::connect({bootstrap()}, options)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

int BrokerProcess::stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

std::string BrokerProcess::log_text() const {
    std::ifstream in(dir_ + "/broker.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string BrokerProcess::meta_property(const std::string& key) const {
    std::ifstream in(log_dir_ + "/meta.properties");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
    }
    return "";
}

}  // namespace kop::testing
