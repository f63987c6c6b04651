#include "broker/cluster/topic_command_service.h"

#include "broker/cluster/errc.h"
#include "common/errc.h"
#include "common/log.h"

namespace broker::cluster {

TopicCommandService::~TopicCommandService() {
    *alive_ = false;
    stop();
}

void TopicCommandService::start(raft::NodeHost& host) {
    host_ = &host;
    host.set_control_handler(
        kTopicCommandType, [this, alive = alive_](raft::NodeId from, std::span<const uint8_t> body,
                                                  raft::ControlReply reply) {
            if (!*alive) return true;
            auto command = decode_topic_command(body);
            if (!command && command.error() == make_error_code(common::Errc::Unsupported)) {
                reply(encode_topic_command_result(
                    {make_error_code(Errc::ControllerFailed),
                     "The active controller does not know this topic command version.",
                     0,
                     {}}));
                return true;
            }
            if (!command) {
                common::log::get("controller")
                    ->warn("malformed topic command from node {}: {}", from.value(),
                           command.error().message());
                return false;
            }
            handle(std::move(command.value()), [reply = std::move(reply)](TopicCommandResult r) {
                reply(encode_topic_command_result(r));
            });
            return true;
        });
}

void TopicCommandService::stop() {
    if (host_ != nullptr) host_->set_control_handler(kTopicCommandType, {});
    host_ = nullptr;
}

void TopicCommandService::handle(TopicCommand command, Respond respond) {
    auto run = to_controller_command(command, broker_);
    quorum_.submit(std::move(run), [this, alive = alive_, command = std::move(command),
                                    respond = std::move(respond)](ControllerResult result) {
        if (!*alive) return;
        respond(to_topic_command_result(result, command, quorum_.cache()));
    });
}

}  // namespace broker::cluster
