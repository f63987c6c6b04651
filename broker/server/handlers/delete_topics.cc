#include "broker/server/handlers/delete_topics.h"

#include "broker/cluster/topics.h"
#include "broker/server/error_mapping.h"

namespace broker::server::handlers {

namespace proto = common::protocol;
using proto::ErrorCode;
using Response = DeleteTopicsHandler::Response;

namespace {

awaitable<Response::DeletableTopicResult> delete_one(RequestContext& ctx,
                                                     std::optional<std::string> name,
                                                     proto::Uuid id) {
    Response::DeletableTopicResult r;
    r.name = name;
    r.topic_id = id;
    if (!name) {
        const auto* topic = ctx.topics().snapshot()->find(id);
        if (topic == nullptr) {
            r.error_code = static_cast<int16_t>(ErrorCode::UnknownTopicId);
            co_return r;
        }
        name = topic->name;
        r.name = name;
    } else if (const auto* topic = ctx.topics().snapshot()->find(*name)) {
        r.topic_id = topic->id;
    }
    if (cluster::is_internal_topic(*name)) {
        // Kafka refuses it to every client but a super user; there are none yet.
        r.error_code = static_cast<int16_t>(ErrorCode::TopicAuthorizationFailed);
        r.error_message = "Topic " + *name + " is internal and cannot be deleted.";
        co_return r;
    }
    auto status = co_await ctx.topics().delete_topic(*name);
    r.error_code = to_kafka_code(status.error);
    if (!status.message.empty()) r.error_message = status.message;
    co_return r;
}

}  // namespace

awaitable<Response> DeleteTopicsHandler::handle(RequestContext& ctx, Request request) {
    Response response;
    if (ctx.api_version() >= 6) {
        for (const auto& t : request.topics) {
            bool by_id = !t.name;
            response.responses.push_back(
                co_await delete_one(ctx, t.name, by_id ? t.topic_id : proto::Uuid{}));
        }
    } else {
        for (const auto& name : request.topic_names) {
            response.responses.push_back(co_await delete_one(ctx, name, proto::Uuid{}));
        }
    }
    co_return response;
}

}  // namespace broker::server::handlers
