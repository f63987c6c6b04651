#pragma once
// The HTTP side of a watch: a chunked response of one JSON event per line. Internal to kube/.

#include <chrono>
#include <memory>
#include <string>

#include "operator/kube/http_connection.h"
#include "operator/kube/kube_client.h"

namespace kop::kube {

// Turns one line of a watch body into an event: Gone for an ERROR event with code 410,
// Transient for other ERROR events or unparseable lines.
Result<WatchEvent> parse_watch_line(const std::string& line);

// Maps an error response to an Errc (Status reason first, then the HTTP code).
std::error_code status_error(int status, const std::string& body, bool create);

// Sends the watch request on `conn` and returns the stream once the server answered 200.
Result<std::unique_ptr<WatchStream>> open_http_watch(std::unique_ptr<HttpConnection> conn,
                                                     http::request<http::string_body>& req,
                                                     std::chrono::seconds header_timeout,
                                                     std::chrono::seconds read_timeout);

}  // namespace kop::kube
