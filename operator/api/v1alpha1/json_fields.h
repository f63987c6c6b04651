#pragma once
// FieldReader: reads typed fields out of untrusted JSON (a custom resource from the API server)
// without throwing; every wrong type becomes a FieldError with its path. Internal to api/.
// Also the small writers that omit empty values, so to_json output stays minimal.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "operator/api/v1alpha1/field_errors.h"

namespace kop::api::v1alpha1 {

using Json = nlohmann::json;
using StringMap = std::map<std::string, std::string>;

// Lives for one decode call; appends to the caller's FieldErrors.
class FieldReader {
  public:
    explicit FieldReader(FieldErrors& errors) : errors_(errors) {}

    // Returns the member `key` of `obj` when present and not null, else nullptr.
    static const Json* member(const Json& obj, const char* key);

    // Each reader leaves `out` untouched when the field is absent or has the wrong type.
    void string(const Json& obj, const char* key, const std::string& path, std::string& out);
    void int32(const Json& obj, const char* key, const std::string& path, int32_t& out);
    void int64(const Json& obj, const char* key, const std::string& path, int64_t& out);
    void optional_int32(const Json& obj, const char* key, const std::string& path,
                        std::optional<int32_t>& out);
    void optional_int64(const Json& obj, const char* key, const std::string& path,
                        std::optional<int64_t>& out);
    void boolean(const Json& obj, const char* key, const std::string& path, bool& out);
    void string_map(const Json& obj, const char* key, const std::string& path, StringMap& out);
    void string_list(const Json& obj, const char* key, const std::string& path,
                     std::vector<std::string>& out);
    // Broker/topic config: values may be strings, numbers or booleans; stored as strings.
    void scalar_map(const Json& obj, const char* key, const std::string& path, StringMap& out);
    // Passes a Kubernetes sub-object (affinity, resources, ...) through untouched.
    void raw_object(const Json& obj, const char* key, const std::string& path, Json& out);
    void raw_array(const Json& obj, const char* key, const std::string& path, Json& out);

    // Returns the member when it is an object (error when it is another type), else nullptr.
    const Json* object(const Json& obj, const char* key, const std::string& path);
    // Returns the member when it is an array (error when it is another type), else nullptr.
    const Json* array(const Json& obj, const char* key, const std::string& path);

    void error(std::string path, std::string message);

  private:
    FieldErrors& errors_;
};

std::string field_path(const std::string& parent, const char* key);
std::string index_path(const std::string& parent, size_t index);

// Writers: set obj[key] only when the value is not empty / not defaulted.
void put_string(Json& obj, const char* key, const std::string& value);
void put_map(Json& obj, const char* key, const StringMap& value);
void put_list(Json& obj, const char* key, const std::vector<std::string>& value);
void put_raw(Json& obj, const char* key, const Json& value);

}  // namespace kop::api::v1alpha1
