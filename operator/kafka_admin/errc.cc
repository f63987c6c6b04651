#include "operator/kafka_admin/errc.h"

#include <string>

#include "common/protocol/error_code.h"

namespace kop::kafka_admin {
namespace {

class AdminCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "kafka_admin"; }
    std::string message(int value) const override {
        switch (static_cast<Errc>(value)) {
            case Errc::Ok:
                return "ok";
            case Errc::InvalidAddress:
                return "invalid broker address (expected host:port)";
            case Errc::NoAddresses:
                return "no broker address given";
            case Errc::ConnectionRefused:
                return "connection refused";
            case Errc::Unreachable:
                return "broker unreachable";
            case Errc::Timeout:
                return "timed out";
            case Errc::Disconnected:
                return "the broker closed the connection";
            case Errc::MalformedResponse:
                return "malformed response from the broker";
            case Errc::UnsupportedVersion:
                return "the broker supports no version of this API that the client knows";
        }
        return "unknown kafka_admin error";
    }
};

class KafkaErrorCategory final : public std::error_category {
  public:
    const char* name() const noexcept override { return "kafka"; }
    std::string message(int value) const override {
        auto code = static_cast<common::protocol::ErrorCode>(value);
        return std::string(common::protocol::error_code_name(code)) + ": " +
               std::string(common::protocol::error_code_message(code));
    }
};

}  // namespace

const std::error_category& admin_category() noexcept {
    static const AdminCategory kCategory;
    return kCategory;
}

const std::error_category& kafka_error_category() noexcept {
    static const KafkaErrorCategory kCategory;
    return kCategory;
}

std::error_code kafka_error(int16_t code) {
    return {code, kafka_error_category()};
}

}  // namespace kop::kafka_admin
