#pragma once
// A reader for the block-YAML subset that kubeconfig files use (mappings, sequences, plain and
// quoted scalars, comments, flow values written as JSON). A file that starts with '{' is JSON.
// Anchors, tags, multi-documents and block scalars (| >) are rejected as Invalid.

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace kop::kube {

common::Result<nlohmann::json> parse_yaml_lite(const std::string& text);

}  // namespace kop::kube
