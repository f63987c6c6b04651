#pragma once
// Parsing of Kafka listener lists: "PLAINTEXT://127.0.0.1:9092,OTHER://[::1]:9093".

#include <string>
#include <vector>

#include "broker/config/broker_config.h"
#include "common/result.h"

namespace broker::config {

// Names are upper-cased (http://... gives name HTTP). An empty string gives an empty list.
// On failure `error` says which entry is bad and why.
common::Result<std::vector<Listener>> parse_listeners(const std::string& text, std::string* error);

}  // namespace broker::config
