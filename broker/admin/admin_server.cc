#include "broker/admin/admin_server.h"

#include "broker/admin/group_lag.h"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/errc.h"
#include "common/log.h"
#include "common/protocol/api_key.h"

namespace broker::admin {

AdminServer::AdminServer(AdminSources sources)
    : sources_(std::move(sources)), server_(std::make_unique<httplib::Server>()) {
    server_->Get("/v1/health", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(health_json(), "application/json");
    });
    server_->Get("/v1/health/live", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"status":"live"})", "application/json");
    });
    server_->Get("/v1/health/ready", [this](const httplib::Request&, httplib::Response& res) {
        auto [status, body] = ready();
        res.status = status;
        res.set_content(body, "application/json");
    });
    auto drain = [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(drain_json(), "application/json");
    };
    server_->Get("/v1/broker/drain", drain);
    server_->Post("/v1/broker/drain", drain);
    server_->Get("/v1/brokers", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(brokers_json(), "application/json");
    });
    server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(metrics_text(), "text/plain; version=0.0.4");
    });
    server_->Get("/v1/groups", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(groups_json(groups()), "application/json");
    });
    server_->Get("/v1/cluster", [this](const httplib::Request&, httplib::Response& res) {
        auto [status, body] = cluster_response();
        res.status = status;
        res.set_content(body, "application/json");
    });
    server_->Get(R"(/v1/groups/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
        auto [status, body] = group_response(req.matches[1]);
        res.status = status;
        res.set_content(body, "application/json");
    });
}

void AdminServer::set_cluster_source(std::function<std::string()> source) {
    std::lock_guard lock(cluster_mu_);
    cluster_source_ = std::move(source);
}

std::pair<int, std::string> AdminServer::cluster_response() const {
    std::function<std::string()> source;
    {
        std::lock_guard lock(cluster_mu_);
        source = cluster_source_;
    }
    if (!source) {
        return {404, R"j({"error":"not a clustered broker (controller.quorum.voters is unset)"})j"};
    }
    return {200, source()};
}

AdminServer::~AdminServer() {
    stop();
}

common::Result<uint16_t> AdminServer::listen(const std::string& host, uint16_t port) {
    int bound = port == 0 ? server_->bind_to_any_port(host.c_str())
                          : (server_->bind_to_port(host.c_str(), port) ? port : -1);
    if (bound < 0) {
        common::log::get("admin")->error("cannot listen on {}:{}", host, port);
        return common::Errc::IoError;
    }
    return static_cast<uint16_t>(bound);
}

void AdminServer::start() {
    thread_ = std::thread([this] { server_->listen_after_bind(); });
}

void AdminServer::stop() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
}

std::string AdminServer::health_json() const {
    nlohmann::json body = {{"broker_id", sources_.config->node_id},
                           {"cluster_id", sources_.cluster_id()},
                           {"status", "ok"}};
    return body.dump();
}

std::pair<int, std::string> AdminServer::ready() const {
    std::string reason = sources_.not_ready_reason ? sources_.not_ready_reason() : "";
    if (reason.empty()) return {200, nlohmann::json{{"status", "ready"}}.dump()};
    return {503, nlohmann::json{{"status", "not ready"}, {"reason", reason}}.dump()};
}

std::string AdminServer::drain_json() const {
    // One broker leads every partition it has; with no other broker there is nothing to move.
    nlohmann::json body = {{"broker_id", sources_.config->node_id},
                           {"drained", true},
                           {"leaders_moved", 0},
                           {"message", "no other broker to move leadership to"}};
    return body.dump();
}

std::string AdminServer::brokers_json() const {
    const auto& l = sources_.config->advertised();
    nlohmann::json brokers = nlohmann::json::array();
    brokers.push_back(
        {{"broker_id", sources_.config->node_id},
         {"host", l.host},
         {"port", l.port},
         {"rack", sources_.config->broker_rack ? nlohmann::json(*sources_.config->broker_rack)
                                               : nlohmann::json(nullptr)}});
    return brokers.dump();
}

std::string AdminServer::metrics_text() const {
    auto m = sources_.metrics->snapshot();
    std::ostringstream out;
    out << "# HELP tributary_requests_total Requests received, by Kafka API.\n"
        << "# TYPE tributary_requests_total counter\n";
    for (int k = 0; k <= net::kMaxApiKey; ++k) {
        if (m.requests[k] == 0) continue;
        out << "tributary_requests_total{api=\""
            << common::protocol::api_key_name(static_cast<common::protocol::ApiKey>(k)) << "\"} "
            << m.requests[k] << "\n";
    }
    out << "# HELP tributary_request_errors_total Requests that closed their connection.\n"
        << "# TYPE tributary_request_errors_total counter\n";
    for (int k = 0; k <= net::kMaxApiKey; ++k) {
        if (m.errors[k] == 0) continue;
        out << "tributary_request_errors_total{api=\""
            << common::protocol::api_key_name(static_cast<common::protocol::ApiKey>(k)) << "\"} "
            << m.errors[k] << "\n";
    }
    out << "# HELP tributary_bytes_received_total Request bytes read from clients.\n"
        << "# TYPE tributary_bytes_received_total counter\n"
        << "tributary_bytes_received_total " << m.bytes_in << "\n"
        << "# HELP tributary_bytes_sent_total Response bytes written to clients.\n"
        << "# TYPE tributary_bytes_sent_total counter\n"
        << "tributary_bytes_sent_total " << m.bytes_out << "\n"
        << "# HELP tributary_connections Open client connections.\n"
        << "# TYPE tributary_connections gauge\n"
        << "tributary_connections " << m.connections << "\n"
        << "# HELP tributary_connections_accepted_total Client connections accepted.\n"
        << "# TYPE tributary_connections_accepted_total counter\n"
        << "tributary_connections_accepted_total " << m.connections_total << "\n"
        << "# HELP tributary_frames_rejected_total Connections closed for a bad frame or request.\n"
        << "# TYPE tributary_frames_rejected_total counter\n"
        << "tributary_frames_rejected_total " << m.frames_rejected << "\n"
        << "# HELP tributary_topics Topics.\n"
        << "# TYPE tributary_topics gauge\n"
        << "tributary_topics " << (sources_.topic_count ? sources_.topic_count() : 0) << "\n"
        << "# HELP tributary_partitions Partitions (all led by this broker).\n"
        << "# TYPE tributary_partitions gauge\n"
        << "tributary_partitions " << (sources_.partition_count ? sources_.partition_count() : 0)
        << "\n";
    if (group_source_) out << group_metrics_text(group_source_());
    return out.str();
}

void AdminServer::set_group_source(std::function<std::vector<GroupLag>()> source) {
    group_source_ = std::move(source);
}

std::vector<GroupLag> AdminServer::groups() const {
    return group_source_ ? group_source_() : std::vector<GroupLag>{};
}

std::pair<int, std::string> AdminServer::group_response(const std::string& group_id) const {
    for (const auto& g : groups()) {
        if (g.view.group_id == group_id) return {200, group_json(g)};
    }
    nlohmann::json error = {{"error", "GroupIdNotFound"},
                            {"message", "The group " + group_id + " does not exist."},
                            {"group", group_id}};
    return {404, error.dump()};
}

}  // namespace broker::admin
