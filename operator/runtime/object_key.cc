#include "operator/runtime/object_key.h"

namespace kop::runtime {

ObjectKey ObjectKey::parse(const std::string& key) {
    size_t slash = key.find('/');
    if (slash == std::string::npos) return {"", key};
    return {key.substr(0, slash), key.substr(slash + 1)};
}

std::string meta_string(const Json& obj, const char* field) {
    if (!obj.is_object() || !obj.contains("metadata") || !obj["metadata"].is_object()) return "";
    auto it = obj["metadata"].find(field);
    return it != obj["metadata"].end() && it->is_string() ? it->get<std::string>() : "";
}

ObjectKey key_of(const Json& obj) {
    return {meta_string(obj, "namespace"), meta_string(obj, "name")};
}

long long generation_of(const Json& obj) {
    if (!obj.is_object() || !obj.contains("metadata")) return 0;
    auto it = obj["metadata"].find("generation");
    return it != obj["metadata"].end() && it->is_number_integer() ? it->get<long long>() : 0;
}

bool is_deleting(const Json& obj) {
    return !meta_string(obj, "deletionTimestamp").empty();
}

}  // namespace kop::runtime
