#include "operator/runtime/http_endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include <gtest/gtest.h>

#include "operator/runtime/metrics.h"

namespace kop::runtime {
namespace {

// One plain HTTP/1.0 GET over a socket; returns the whole response.
std::string http_get(int port, const std::string& path) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        return "";
    }
    std::string req = "GET " + path + " HTTP/1.0\r\nHost: x\r\n\r\n";
    if (write(fd, req.data(), req.size()) < 0) {
        close(fd);
        return "";
    }
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    close(fd);
    return out;
}

TEST(HttpEndpointTest, ServesHealthReadinessAndMetricsOnItsOwnPort) {
    Metrics metrics;
    metrics.describe("tributary_test_total", "counter", "A test counter.");
    metrics.inc("tributary_test_total", {{"k", "v"}}, 3);
    std::atomic<bool> ready{false};
    HttpEndpoint endpoint;
    endpoint.handle("/healthz", [] { return std::make_pair(200, std::string("ok")); });
    endpoint.handle("/readyz", [&] {
        return ready ? std::make_pair(200, std::string("ok"))
                     : std::make_pair(503, std::string("not yet"));
    });
    endpoint.handle("/metrics", [&] { return std::make_pair(200, metrics.render()); });
    auto port = endpoint.start("127.0.0.1", 0);
    ASSERT_TRUE(port);
    EXPECT_NE(http_get(port.value(), "/healthz").find(" 200 "), std::string::npos);
    EXPECT_NE(http_get(port.value(), "/readyz").find(" 503 "), std::string::npos);
    ready = true;
    EXPECT_NE(http_get(port.value(), "/readyz").find(" 200 "), std::string::npos);
    std::string scraped = http_get(port.value(), "/metrics");
    EXPECT_NE(scraped.find("# TYPE tributary_test_total counter"), std::string::npos);
    EXPECT_NE(scraped.find("tributary_test_total{k=\"v\"} 3"), std::string::npos);
    endpoint.stop();
}

TEST(HttpEndpointTest, AddressesParseWithDefaultHostAndRejectGarbage) {
    auto a = parse_host_port(":8080");
    ASSERT_TRUE(a);
    EXPECT_EQ(a.value().first, "127.0.0.1");
    EXPECT_EQ(a.value().second, 8080);
    auto b = parse_host_port("0.0.0.0:9");
    ASSERT_TRUE(b);
    EXPECT_EQ(b.value().first, "0.0.0.0");
    EXPECT_FALSE(parse_host_port("nohost"));
    EXPECT_FALSE(parse_host_port("h:99999"));
    EXPECT_FALSE(parse_host_port("h:x"));
}

}  // namespace
}  // namespace kop::runtime
