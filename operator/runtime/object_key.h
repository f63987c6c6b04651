#pragma once
// ObjectKey: how the runtime names one object ("namespace/name", or "name" when cluster-scoped),
// plus small accessors on objects as JSON. Pure functions.

#include <string>

#include <nlohmann/json.hpp>

namespace kop::runtime {

using Json = nlohmann::json;

struct ObjectKey {
    std::string ns;
    std::string name;

    std::string str() const { return ns.empty() ? name : ns + "/" + name; }
    static ObjectKey parse(const std::string& key);
    bool operator==(const ObjectKey&) const = default;
};

ObjectKey key_of(const Json& obj);
std::string meta_string(const Json& obj, const char* field);  // metadata.<field> or ""
long long generation_of(const Json& obj);
bool is_deleting(const Json& obj);  // metadata.deletionTimestamp is set

}  // namespace kop::runtime
