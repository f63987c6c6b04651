#include "operator/kube/watch_stream.h"

#include <mutex>

namespace kop::kube {
namespace {

constexpr size_t kChunk = 64 * 1024;
constexpr size_t kMaxLine = 64 * 1024 * 1024;

// Owned by the informer thread that reads it; cancel() from any thread.
class HttpWatchStream final : public WatchStream {
  public:
    HttpWatchStream(std::unique_ptr<HttpConnection> conn,
                    std::unique_ptr<http::response_parser<http::buffer_body>> parser,
                    std::chrono::seconds read_timeout)
        : conn_(std::move(conn)), parser_(std::move(parser)), read_timeout_(read_timeout) {}

    Result<std::optional<WatchEvent>> next() override {
        for (;;) {
            size_t nl = pending_.find('\n');
            if (nl != std::string::npos) {
                std::string line = pending_.substr(0, nl);
                pending_.erase(0, nl + 1);
                if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
                TRIBUTARY_TRY(event, parse_watch_line(line));
                return std::optional<WatchEvent>(std::move(event));
            }
            if (pending_.size() > kMaxLine) return make_error_code(Errc::Transient);
            TRIBUTARY_TRY(n, conn_->read_body_some(*parser_, buf_, kChunk, read_timeout_));
            if (n == 0) return std::optional<WatchEvent>();
            pending_.append(buf_, n);
        }
    }

    void cancel() override { conn_->cancel(); }

  private:
    std::unique_ptr<HttpConnection> conn_;
    std::unique_ptr<http::response_parser<http::buffer_body>> parser_;
    std::chrono::seconds read_timeout_;
    std::string pending_;
    char buf_[kChunk];
};

}  // namespace

Result<WatchEvent> parse_watch_line(const std::string& line) {
    Json parsed = Json::parse(line, nullptr, false);
    if (!parsed.is_object() || !parsed.contains("type")) return make_error_code(Errc::Transient);
    std::string type = parsed.value("type", "");
    WatchEvent event;
    event.object = parsed.value("object", Json::object());
    if (type == "ADDED")
        event.type = WatchEventType::Added;
    else if (type == "MODIFIED")
        event.type = WatchEventType::Modified;
    else if (type == "DELETED")
        event.type = WatchEventType::Deleted;
    else if (type == "BOOKMARK")
        event.type = WatchEventType::Bookmark;
    else if (type == "ERROR") {
        int code = event.object.is_object() ? event.object.value("code", 0) : 0;
        std::string reason = event.object.is_object() ? event.object.value("reason", "") : "";
        if (code == 410 || reason == "Expired" || reason == "Gone") {
            return make_error_code(Errc::Gone);
        }
        return make_error_code(Errc::Transient);
    } else {
        return make_error_code(Errc::Transient);
    }
    return event;
}

Result<std::unique_ptr<WatchStream>> open_http_watch(std::unique_ptr<HttpConnection> conn,
                                                     http::request<http::string_body>& req,
                                                     std::chrono::seconds header_timeout,
                                                     std::chrono::seconds read_timeout) {
    req.keep_alive(false);
    TRIBUTARY_TRY(conn->write(req, header_timeout));
    auto parser = std::make_unique<http::response_parser<http::buffer_body>>();
    parser->body_limit(boost::none);
    TRIBUTARY_TRY(conn->read_header(*parser, header_timeout));
    int status = static_cast<int>(parser->get().result_int());
    if (status != 200) {
        std::string body;
        char buf[4096];
        for (;;) {
            auto n = conn->read_body_some(*parser, buf, sizeof buf, header_timeout);
            if (!n || n.value() == 0) break;
            body.append(buf, n.value());
        }
        return status_error(status, body, false);
    }
    return std::unique_ptr<WatchStream>(
        new HttpWatchStream(std::move(conn), std::move(parser), read_timeout));
}

}  // namespace kop::kube
