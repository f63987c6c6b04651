#include "operator/api/v1alpha1/json_fields.h"

#include <limits>

namespace kop::api::v1alpha1 {

std::string to_string(const FieldErrors& errors) {
    std::string out;
    for (const auto& e : errors) {
        if (!out.empty()) out += "; ";
        out += e.path + ": " + e.message;
    }
    return out;
}

std::string field_path(const std::string& parent, const char* key) {
    return parent.empty() ? std::string(key) : parent + "." + key;
}

std::string index_path(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

const Json* FieldReader::member(const Json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

void FieldReader::error(std::string path, std::string message) {
    errors_.push_back({std::move(path), std::move(message)});
}

void FieldReader::string(const Json& obj, const char* key, const std::string& path,
                         std::string& out) {
    const Json* v = member(obj, key);
    if (v == nullptr) return;
    if (!v->is_string()) return error(field_path(path, key), "must be a string");
    out = v->get<std::string>();
}

namespace {

template <class Int>
bool read_integer(const Json& v, Int& out) {
    if (v.is_number_integer()) {
        if (v.is_number_unsigned()) {
            auto u = v.get<uint64_t>();
            if (u > static_cast<uint64_t>(std::numeric_limits<Int>::max())) return false;
            out = static_cast<Int>(u);
            return true;
        }
        auto s = v.get<int64_t>();
        if (s < std::numeric_limits<Int>::min() || s > std::numeric_limits<Int>::max()) {
            return false;
        }
        out = static_cast<Int>(s);
        return true;
    }
    return false;
}

}  // namespace

void FieldReader::int32(const Json& obj, const char* key, const std::string& path, int32_t& out) {
    const Json* v = member(obj, key);
    if (v == nullptr) return;
    if (!read_integer(*v, out)) error(field_path(path, key), "must be a 32-bit integer");
}

void FieldReader::int64(const Json& obj, const char* key, const std::string& path, int64_t& out) {
    const Json* v = member(obj, key);
    if (v == nullptr) return;
    if (!read_integer(*v, out)) error(field_path(path, key), "must be a 64-bit integer");
}

void FieldReader::optional_int32(const Json& obj, const char* key, const std::string& path,
                                 std::optional<int32_t>& out) {
    if (member(obj, key) == nullptr) return;
    int32_t value = 0;
    size_t before = errors_.size();
    int32(obj, key, path, value);
    if (errors_.size() == before) out = value;
}

void FieldReader::optional_int64(const Json& obj, const char* key, const std::string& path,
                                 std::optional<int64_t>& out) {
    if (member(obj, key) == nullptr) return;
    int64_t value = 0;
    size_t before = errors_.size();
    int64(obj, key, path, value);
    if (errors_.size() == before) out = value;
}

void FieldReader::boolean(const Json& obj, const char* key, const std::string& path, bool& out) {
    const Json* v = member(obj, key);
    if (v == nullptr) return;
    if (!v->is_boolean()) return error(field_path(path, key), "must be a boolean");
    out = v->get<bool>();
}

void FieldReader::string_map(const Json& obj, const char* key, const std::string& path,
                             StringMap& out) {
    const Json* v = object(obj, key, path);
    if (v == nullptr) return;
    for (const auto& [k, value] : v->items()) {
        if (!value.is_string()) {
            error(field_path(field_path(path, key), k.c_str()), "must be a string");
            continue;
        }
        out[k] = value.get<std::string>();
    }
}

void FieldReader::string_list(const Json& obj, const char* key, const std::string& path,
                              std::vector<std::string>& out) {
    const Json* v = array(obj, key, path);
    if (v == nullptr) return;
    for (size_t i = 0; i < v->size(); ++i) {
        const Json& item = (*v)[i];
        if (!item.is_string()) {
            error(index_path(field_path(path, key), i), "must be a string");
            continue;
        }
        out.push_back(item.get<std::string>());
    }
}

void FieldReader::scalar_map(const Json& obj, const char* key, const std::string& path,
                             StringMap& out) {
    const Json* v = object(obj, key, path);
    if (v == nullptr) return;
    for (const auto& [k, value] : v->items()) {
        if (value.is_string()) {
            out[k] = value.get<std::string>();
        } else if (value.is_boolean()) {
            out[k] = value.get<bool>() ? "true" : "false";
        } else if (value.is_number_integer()) {
            out[k] = value.dump();
        } else if (value.is_number_float()) {
            out[k] = value.dump();
        } else {
            error(field_path(field_path(path, key), k.c_str()),
                  "must be a string, number or boolean");
        }
    }
}

void FieldReader::raw_object(const Json& obj, const char* key, const std::string& path, Json& out) {
    const Json* v = object(obj, key, path);
    if (v != nullptr) out = *v;
}

void FieldReader::raw_array(const Json& obj, const char* key, const std::string& path, Json& out) {
    const Json* v = array(obj, key, path);
    if (v != nullptr) out = *v;
}

const Json* FieldReader::object(const Json& obj, const char* key, const std::string& path) {
    const Json* v = member(obj, key);
    if (v == nullptr) return nullptr;
    if (!v->is_object()) {
        error(field_path(path, key), "must be an object");
        return nullptr;
    }
    return v;
}

const Json* FieldReader::array(const Json& obj, const char* key, const std::string& path) {
    const Json* v = member(obj, key);
    if (v == nullptr) return nullptr;
    if (!v->is_array()) {
        error(field_path(path, key), "must be an array");
        return nullptr;
    }
    return v;
}

void put_string(Json& obj, const char* key, const std::string& value) {
    if (!value.empty()) obj[key] = value;
}

void put_map(Json& obj, const char* key, const StringMap& value) {
    if (value.empty()) return;
    Json m = Json::object();
    for (const auto& [k, v] : value) m[k] = v;
    obj[key] = std::move(m);
}

void put_list(Json& obj, const char* key, const std::vector<std::string>& value) {
    if (!value.empty()) obj[key] = value;
}

void put_raw(Json& obj, const char* key, const Json& value) {
    if (!value.is_null()) obj[key] = value;
}

}  // namespace kop::api::v1alpha1
