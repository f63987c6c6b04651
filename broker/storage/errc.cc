#include "broker/storage/errc.h"

#include <string>

namespace broker::storage {
namespace {

class StorageCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "storage"; }
    std::string message(int code) const override {
        switch (static_cast<Errc>(code)) {
            case Errc::Ok:
                return "ok";
            case Errc::OffsetOutOfRange:
                return "offset out of range";
            case Errc::InvalidOffset:
                return "offset does not continue the log";
            case Errc::LogOffline:
                return "log offline after an I/O error";
            case Errc::NotFound:
                return "partition log not found";
            case Errc::AlreadyExists:
                return "partition log already exists";
            case Errc::InvalidConfig:
                return "invalid log configuration";
        }
        return "unknown storage error " + std::to_string(code);
    }
};

}  // namespace

const std::error_category& storage_category() noexcept {
    static const StorageCategory category;
    return category;
}

}  // namespace broker::storage
