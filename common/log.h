#pragma once
// Logging: spdlog with one named logger per subsystem. log::get("storage")->info("...", ...).

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace common::log {

// Returns the logger with this name, creating it (colour stderr sink, shared level) on first use.
std::shared_ptr<spdlog::logger> get(const std::string& name);

// Sets the level of every logger: trace, debug, info, warn, error, critical, off.
// Returns false for an unknown level name.
bool set_level(const std::string& level);

}  // namespace common::log
