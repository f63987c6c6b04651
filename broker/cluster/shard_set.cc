#include "broker/cluster/shard_set.h"

#include "common/log.h"

namespace broker::cluster {

ShardSet::ShardSet(ShardIndex count) {
    if (count == 0) count = 1;
    for (ShardIndex i = 0; i < count; ++i) {
        contexts_.push_back(std::make_unique<common::asio::io_context>(1));
    }
}

ShardSet::~ShardSet() {
    stop();
    join();
}

void ShardSet::start() {
    for (ShardIndex i = 0; i < size(); ++i) {
        guards_.push_back(
            std::make_unique<
                common::asio::executor_work_guard<common::asio::io_context::executor_type>>(
                contexts_[i]->get_executor()));
    }
    for (ShardIndex i = 0; i < size(); ++i) {
        threads_.emplace_back([this, i] {
            set_this_shard(i);
            try {
                contexts_[i]->run();
            } catch (const std::exception& e) {
                common::log::get("shard")->critical("shard {} stopped by exception: {}", i,
                                                    e.what());
            }
        });
    }
}

void ShardSet::stop() {
    for (auto& guard : guards_) guard->reset();
    for (auto& context : contexts_) context->stop();
}

void ShardSet::join() {
    for (auto& t : threads_) {
        if (t.joinable()) t.join();
    }
    threads_.clear();
    guards_.clear();
}

}  // namespace broker::cluster
