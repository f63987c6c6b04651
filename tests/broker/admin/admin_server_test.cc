#include "broker/admin/admin_server.h"

#include <gtest/gtest.h>

#include <mutex>

#include "common/asio.h"

namespace broker::admin {
namespace {

namespace asio = common::asio;

// A plain HTTP/1.0 GET over a real socket; returns the whole response.
std::string http_get(uint16_t port, const std::string& path) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    asio::write(socket, asio::buffer(request));
    std::string response;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(response), ec);
    return response;
}

class AdminServerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string error;
        config_ = config::build_config({{"node.id", "3"}}, &error).value();
        metrics_.count_request(0);
        metrics_.count_request(0);
        metrics_.count_error(3);
        server_ = std::make_unique<AdminServer>(AdminSources{
            &config_, &metrics_, [] { return 2; }, [] { return 7; },
            [] { return std::string("AAAAAAAAAAAAAAAAAAAAAA"); }, [this] { return not_ready(); }});
        auto port = server_->listen("127.0.0.1", 0);
        ASSERT_TRUE(port);
        port_ = port.value();
        server_->start();
    }
    void TearDown() override { server_->stop(); }

    config::BrokerConfig config_;
    net::Metrics metrics_{1};
    std::unique_ptr<AdminServer> server_;
    uint16_t port_ = 0;
    std::string not_ready() {
        std::lock_guard lock(mu_);
        return not_ready_;
    }
    void set_not_ready(std::string reason) {
        std::lock_guard lock(mu_);
        not_ready_ = std::move(reason);
    }
    std::mutex mu_;  // not_ready_ is read on the admin thread
    std::string not_ready_;
};

TEST_F(AdminServerTest, HealthReportsBrokerIdAndStatus) {
    auto response = http_get(port_, "/v1/health");
    EXPECT_NE(response.find("200 OK"), std::string::npos);
    EXPECT_NE(
        response.find(R"({"broker_id":3,"cluster_id":"AAAAAAAAAAAAAAAAAAAAAA","status":"ok"})"),
        std::string::npos);
}

TEST_F(AdminServerTest, LiveAnswersOnceTheProcessServes) {
    auto response = http_get(port_, "/v1/health/live");
    EXPECT_NE(response.find("200 OK"), std::string::npos);
    EXPECT_NE(response.find(R"({"status":"live"})"), std::string::npos);
}

TEST_F(AdminServerTest, ReadyIs503WithAReasonUntilStartupIsDone) {
    set_not_ready("loading partitions");
    auto waiting = http_get(port_, "/v1/health/ready");
    EXPECT_NE(waiting.find("503"), std::string::npos) << waiting;
    EXPECT_NE(waiting.find(R"("reason":"loading partitions")"), std::string::npos);
    set_not_ready("");
    auto ready = http_get(port_, "/v1/health/ready");
    EXPECT_NE(ready.find("200 OK"), std::string::npos) << ready;
    EXPECT_NE(ready.find(R"({"status":"ready"})"), std::string::npos);
}

TEST_F(AdminServerTest, DrainSaysThereIsNothingToMoveOnOneNode) {
    auto response = http_get(port_, "/v1/broker/drain");
    EXPECT_NE(response.find("200 OK"), std::string::npos);
    EXPECT_NE(response.find(R"("drained":true)"), std::string::npos);
    EXPECT_NE(response.find(R"("leaders_moved":0)"), std::string::npos);
}

TEST_F(AdminServerTest, MetricsArePrometheusTextWithPerApiCounters) {
    auto response = http_get(port_, "/metrics");
    EXPECT_NE(response.find("tributary_requests_total{api=\"Produce\"} 2"), std::string::npos);
    EXPECT_NE(response.find("tributary_request_errors_total{api=\"Metadata\"} 1"),
              std::string::npos);
    EXPECT_NE(response.find("tributary_partitions 7"), std::string::npos);
    EXPECT_NE(response.find("tributary_topics 2"), std::string::npos);
    EXPECT_NE(response.find("# TYPE tributary_connections gauge"), std::string::npos);
}

TEST_F(AdminServerTest, BrokersListsThisBroker) {
    auto response = http_get(port_, "/v1/brokers");
    EXPECT_NE(response.find(R"("broker_id":3)"), std::string::npos);
    EXPECT_NE(response.find(R"("port":9092)"), std::string::npos);
}

}  // namespace
}  // namespace broker::admin

namespace broker::admin {
namespace {

TEST_F(AdminServerTest, ClusterViewIs404OnASingleNodeAndServesTheSourceWhenClustered) {
    auto single = http_get(port_, "/v1/cluster");
    EXPECT_NE(single.find("404"), std::string::npos) << single;
    server_->set_cluster_source([] { return std::string(R"({"controller_id":2})"); });
    auto clustered = http_get(port_, "/v1/cluster");
    EXPECT_NE(clustered.find("200 OK"), std::string::npos) << clustered;
    EXPECT_NE(clustered.find(R"({"controller_id":2})"), std::string::npos);
}

}  // namespace
}  // namespace broker::admin
