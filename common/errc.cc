#include "common/errc.h"

namespace common {
namespace {

class CommonCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "tributary"; }
    std::string message(int code) const override {
        switch (static_cast<Errc>(code)) {
            case Errc::Ok:
                return "ok";
            case Errc::Truncated:
                return "input truncated";
            case Errc::Malformed:
                return "malformed input";
            case Errc::TooLarge:
                return "size limit exceeded";
            case Errc::Unsupported:
                return "unsupported";
            case Errc::CorruptData:
                return "corrupt data";
            case Errc::InvalidArgument:
                return "invalid argument";
            case Errc::NotFound:
                return "not found";
            case Errc::AlreadyExists:
                return "already exists";
            case Errc::IoError:
                return "I/O error";
        }
        return "unknown error " + std::to_string(code);
    }
};

}  // namespace

const std::error_category& common_category() noexcept {
    static const CommonCategory category;
    return category;
}

}  // namespace common
