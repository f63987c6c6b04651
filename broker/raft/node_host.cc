#include "broker/raft/node_host.h"

#include <chrono>
#include <map>

#include "broker/raft/control_frame.h"
#include "broker/raft/rpc_codec.h"
#include "common/asio.h"
#include "common/errc.h"

namespace broker::raft {

namespace asio = common::asio;
using common::awaitable;

// The state behind a NodeHost; also the raft::Transport every node of this host sends through.
// Shared with its own coroutines and posted work, which hold it (or a weak reference) so that it
// outlives them.
struct NodeHost::Impl final : Transport, std::enable_shared_from_this<NodeHost::Impl> {
    // One group run here. The node is declared after (destroyed before) its storage.
    struct Group {
        std::unique_ptr<DiskLogStorage> storage;
        std::unique_ptr<RaftNode> node;
        uint64_t generation = 0;   // tells a re-added group from the one a sync was for
        bool syncing = false;      // a SyncWork runs on the sync thread
        bool sync_wanted = false;  // flushes were requested meanwhile
    };

    Impl(asio::io_context& io_context, storage::FileIo& file_io, NodeId self_id,
         NodeHostOptions opts)
        : io(io_context),
          files(file_io),
          self(self_id),
          options(opts),
          transport(io_context, self_id, opts.transport),
          tick_timer(io_context),
          epoch(std::chrono::steady_clock::now()) {}

    asio::io_context& io;
    storage::FileIo& files;
    NodeId self;
    NodeHostOptions options;
    TcpTransport transport;
    HeartbeatCoalescer coalescer;
    std::map<GroupId, std::unique_ptr<Group>> groups;
    asio::steady_timer tick_timer;
    std::map<NodeId, std::unique_ptr<asio::steady_timer>> heartbeat_timers;
    std::chrono::steady_clock::time_point epoch;
    // Control calls in flight, by correlation id.
    struct PendingCall {
        NodeId to;
        ControlDone done;
        std::unique_ptr<asio::steady_timer> timer;
    };
    std::map<uint64_t, PendingCall> calls;
    uint64_t next_correlation = 1;
    ControlHandler control_handler;
    std::map<uint16_t, ControlHandler> typed_handlers;  // by the body's leading int16
    asio::thread_pool syncer{1};  // runs the fdatasyncs; joined first on destruction
    uint64_t next_generation = 1;
    bool ticking = false;
    bool heartbeat_flush_posted = false;
    bool stopped = false;

    Millis now() const {
        return std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - epoch);
    }

    RaftNode* find(GroupId group) const {
        auto it = groups.find(group);
        return it == groups.end() ? nullptr : it->second->node.get();
    }

    // raft::Transport: never blocks, never calls back into a node.
    void send(Message msg) override {
        if (stopped) return;
        if (auto* hb = std::get_if<HeartbeatRequest>(&msg)) {
            coalescer.add(*hb);
            post_heartbeat_flush();
        } else if (auto* resp = std::get_if<HeartbeatResponse>(&msg)) {
            coalescer.add(*resp);
            post_heartbeat_flush();
        } else {
            NodeId to = header_of(msg).to;
            transport.send(to, encode_message(msg));
        }
    }

    void flush_heartbeats(NodeId peer) {
        for (auto& frame : coalescer.take_frames(peer)) transport.send(peer, std::move(frame));
    }

    void post_heartbeat_flush() {
        if (heartbeat_flush_posted) return;
        heartbeat_flush_posted = true;
        asio::post(io, [weak = weak_from_this()] {
            auto self_ptr = weak.lock();
            if (!self_ptr) return;
            self_ptr->heartbeat_flush_posted = false;
            for (NodeId peer : self_ptr->coalescer.pending_peers()) {
                self_ptr->flush_heartbeats(peer);
            }
        });
    }

    Group* find_group(GroupId group) const {
        auto it = groups.find(group);
        return it == groups.end() ? nullptr : it->second.get();
    }

    void schedule_sync(GroupId group) {
        asio::post(io, [weak = weak_from_this(), group] {
            if (auto self_ptr = weak.lock()) self_ptr->start_sync(group);
        });
    }

    // Group commit: one SyncWork at a time per group on the sync thread; whatever is flushed
    // while it runs goes into the next one.
    void start_sync(GroupId group) {
        Group* g = find_group(group);
        if (g == nullptr || stopped) return;
        if (g->syncing) {
            g->sync_wanted = true;
            return;
        }
        g->syncing = true;
        g->sync_wanted = false;
        auto work = std::make_shared<DiskLogStorage::SyncWork>(g->storage->begin_sync());
        asio::post(syncer, [weak = weak_from_this(), group, generation = g->generation, work,
                            io_ptr = &io] {
            auto outcome = work->run();
            asio::post(*io_ptr, [weak, group, generation, work, outcome] {
                if (auto self_ptr = weak.lock()) {
                    self_ptr->finish_sync(group, generation, *work, outcome);
                }
            });
        });
    }

    void finish_sync(GroupId group, uint64_t generation, const DiskLogStorage::SyncWork& work,
                     const common::Result<void>& outcome) {
        Group* g = find_group(group);
        if (g == nullptr || g->generation != generation) return;
        g->syncing = false;
        auto seq = g->storage->end_sync(work, outcome);
        if (!seq) return;  // the storage logged it and has stopped; so will the node
        if (seq.value()) g->node->on_flushed(*seq.value());
        if (g->sync_wanted) start_sync(group);
    }

    bool on_frame(NodeId from, const FrameView& frame);
    bool on_control(NodeId from, const FrameView& frame);
    void finish_call(uint64_t correlation, NodeId from, common::Result<std::vector<uint8_t>> out);
    bool deliver(NodeId from, const Message& msg);

    static awaitable<void> tick_loop(std::shared_ptr<Impl> self);
    static awaitable<void> heartbeat_loop(std::shared_ptr<Impl> self, NodeId peer,
                                          asio::steady_timer* timer);
};

// Hands one message to its group's node. False when the message cannot have come from `from`.
bool NodeHost::Impl::deliver(NodeId from, const Message& msg) {
    const MessageHeader& h = header_of(msg);
    if (h.from != from || h.to != self) return false;
    if (RaftNode* node = find(h.group)) node->step(msg);
    return true;
}

bool NodeHost::Impl::on_frame(NodeId from, const FrameView& frame) {
    switch (frame.header.api) {
        case RpcApi::RaftMessage: {
            auto msg = decode_message(frame);
            return msg && deliver(from, msg.value());
        }
        case RpcApi::HeartbeatBatch: {
            auto batch = decode_heartbeat_batch(frame);
            if (!batch) return false;
            for (const auto& hb : batch.value()) {
                if (!deliver(from, hb)) return false;
            }
            flush_heartbeats(from);  // every group's answer in one frame
            return true;
        }
        case RpcApi::HeartbeatResponseBatch: {
            auto batch = decode_heartbeat_response_batch(frame);
            if (!batch) return false;
            for (const auto& resp : batch.value()) {
                if (!deliver(from, resp)) return false;
            }
            return true;
        }
        case RpcApi::ControlRequest:
        case RpcApi::ControlResponse:
            return on_control(from, frame);
        case RpcApi::Hello:
            return false;
    }
    return false;
}

bool NodeHost::Impl::on_control(NodeId from, const FrameView& frame) {
    auto decoded = decode_control(frame);
    if (!decoded) return false;
    ControlFrame& f = decoded.value();
    if (f.response) {
        finish_call(f.correlation_id, from, std::move(f.body));
        return true;
    }
    // A copy: the handler may replace itself while it runs.
    ControlHandler handler = control_handler;
    if (f.body.size() >= 2) {
        auto type = static_cast<uint16_t>((f.body[0] << 8) | f.body[1]);
        if (auto it = typed_handlers.find(type); it != typed_handlers.end()) handler = it->second;
    }
    if (!handler) return true;
    ControlReply reply = [weak = weak_from_this(), from,
                          id = f.correlation_id](std::vector<uint8_t> body) {
        auto self_ptr = weak.lock();
        if (!self_ptr || self_ptr->stopped) return;
        self_ptr->transport.send(from, encode_control(ControlFrame{true, id, std::move(body)}));
    };
    return handler(from, f.body, std::move(reply));
}

// A response from the wrong peer, or for a call that already timed out, is ignored.
void NodeHost::Impl::finish_call(uint64_t correlation, NodeId from,
                                 common::Result<std::vector<uint8_t>> out) {
    auto it = calls.find(correlation);
    if (it == calls.end() || it->second.to != from) return;
    auto done = std::move(it->second.done);
    it->second.timer->cancel();
    calls.erase(it);
    if (done) done(std::move(out));
}

awaitable<void> NodeHost::Impl::tick_loop(std::shared_ptr<Impl> self) {
    while (!self->stopped) {
        boost::system::error_code ec;
        self->tick_timer.expires_after(self->options.tick_interval);
        co_await self->tick_timer.async_wait(asio::redirect_error(common::use_awaitable, ec));
        if (self->stopped) break;
        Millis now = self->now();
        for (auto& [group, g] : self->groups) g->node->tick(now);
    }
}

awaitable<void> NodeHost::Impl::heartbeat_loop(std::shared_ptr<Impl> self, NodeId peer,
                                               asio::steady_timer* timer) {
    while (!self->stopped) {
        boost::system::error_code ec;
        timer->expires_after(self->options.heartbeat_interval);
        co_await timer->async_wait(asio::redirect_error(common::use_awaitable, ec));
        if (self->stopped || !self->heartbeat_timers.contains(peer)) break;
        for (auto& [group, g] : self->groups) {
            if (auto hb = g->node->heartbeat_to(peer)) self->coalescer.add(*hb);
        }
        self->flush_heartbeats(peer);
    }
}

NodeHost::NodeHost(asio::io_context& io, storage::FileIo& files, NodeId self,
                   NodeHostOptions options)
    : impl_(std::make_shared<Impl>(io, files, self, options)) {
    impl_->transport.set_sink(
        [weak = std::weak_ptr<Impl>(impl_)](NodeId from, const FrameView& frame) {
            auto self_ptr = weak.lock();
            return self_ptr && self_ptr->on_frame(from, frame);
        });
}

NodeHost::~NodeHost() {
    stop();
}

NodeId NodeHost::self() const {
    return impl_->self;
}

common::Result<uint16_t> NodeHost::listen(const std::string& host, uint16_t port) {
    return impl_->transport.listen(host, port);
}

void NodeHost::set_peer(NodeId id, const std::string& host, uint16_t port) {
    impl_->transport.set_peer(id, host, port);
    if (impl_->stopped || impl_->heartbeat_timers.contains(id)) return;
    auto timer = std::make_unique<asio::steady_timer>(impl_->io);
    auto* raw = timer.get();
    impl_->heartbeat_timers.emplace(id, std::move(timer));
    asio::co_spawn(impl_->io, Impl::heartbeat_loop(impl_, id, raw), asio::detached);
}

common::Result<RaftNode*> NodeHost::add_group(GroupSpec spec) {
    if (impl_->stopped) return common::Errc::InvalidArgument;
    GroupId id = spec.config.group;
    if (spec.config.self != impl_->self || impl_->groups.contains(id) || !spec.state_machine) {
        return common::Errc::InvalidArgument;
    }
    auto schedule = [weak = std::weak_ptr<Impl>(impl_), id] {
        if (auto self_ptr = weak.lock()) self_ptr->schedule_sync(id);
    };
    TRIBUTARY_TRY(storage, DiskLogStorage::open(impl_->files, spec.dir, spec.initial, schedule,
                                                impl_->options.storage));
    auto group = std::make_unique<Impl::Group>();
    group->storage = std::move(storage);
    group->generation = impl_->next_generation++;
    spec.config.heartbeat_interval = Millis(0);  // the host sends them, coalesced
    group->node = std::make_unique<RaftNode>(spec.config, *group->storage, *spec.state_machine,
                                             *impl_, std::move(spec.callbacks));
    TRIBUTARY_TRY(group->node->start(impl_->now(), spec.initial));
    RaftNode* node = group->node.get();
    impl_->groups.emplace(id, std::move(group));
    if (!impl_->ticking) {
        impl_->ticking = true;
        asio::co_spawn(impl_->io, Impl::tick_loop(impl_), asio::detached);
    }
    return node;
}

void NodeHost::remove_group(GroupId group) {
    impl_->groups.erase(group);
}

RaftNode* NodeHost::node(GroupId group) const {
    return impl_->find(group);
}

void NodeHost::stop() {
    if (impl_->stopped) return;
    impl_->stopped = true;
    impl_->tick_timer.cancel();
    for (auto& [peer, timer] : impl_->heartbeat_timers) timer->cancel();
    impl_->transport.stop();
    impl_->calls.clear();   // their timers are cancelled; no `done` runs after stop()
    impl_->groups.clear();  // posted syncs find nothing; state machines may go now
    impl_->syncer.join();   // no file I/O from this host after stop()
}

void NodeHost::set_control_handler(ControlHandler handler) {
    impl_->control_handler = std::move(handler);
}

void NodeHost::set_control_handler(uint16_t body_type, ControlHandler handler) {
    if (handler) {
        impl_->typed_handlers[body_type] = std::move(handler);
    } else {
        impl_->typed_handlers.erase(body_type);
    }
}

void NodeHost::call(NodeId to, std::vector<uint8_t> body, Millis timeout, ControlDone done) {
    if (impl_->stopped) return;
    uint64_t id = impl_->next_correlation++;
    bool queued =
        impl_->transport.send(to, encode_control(ControlFrame{false, id, std::move(body)}));
    if (!queued) {
        asio::post(impl_->io, [done = std::move(done)] {
            done(common::Result<std::vector<uint8_t>>(common::Errc::IoError));
        });
        return;
    }
    auto timer = std::make_unique<asio::steady_timer>(impl_->io);
    timer->expires_after(timeout);
    timer->async_wait([weak = std::weak_ptr<Impl>(impl_), id, to](boost::system::error_code ec) {
        auto self_ptr = weak.lock();
        if (ec || !self_ptr) return;
        self_ptr->finish_call(id, to, std::make_error_code(std::errc::timed_out));
    });
    impl_->calls.emplace(id, Impl::PendingCall{to, std::move(done), std::move(timer)});
}

const TcpTransport& NodeHost::transport() const {
    return impl_->transport;
}

const HeartbeatCoalescer& NodeHost::heartbeats() const {
    return impl_->coalescer;
}

}  // namespace broker::raft
