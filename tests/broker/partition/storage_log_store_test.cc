#include "broker/partition/storage_log_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "broker/partition/errc.h"
#include "broker/partition/partition_manager.h"
#include "broker/storage/posix_file_io.h"
#include "tests/broker/partition/test_batches.h"

namespace broker::partition {
namespace {

namespace fs = std::filesystem;
using testing::BatchSpec;
using testing::make_batch;

common::awaitable<void> produce_into(std::shared_ptr<Partition> p, std::vector<uint8_t> batch,
                                     int16_t acks, common::Result<ProduceResult>* out) {
    *out = co_await p->produce(std::move(batch), acks);
}

// Partitions over the real storage engine in a temp dir.
class StorageLogStoreTest : public ::testing::Test {
  protected:
    StorageLogStoreTest() {
        dir_ = fs::temp_directory_path() /
               ("storage-store-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
    }
    ~StorageLogStoreTest() override { fs::remove_all(dir_); }

    std::unique_ptr<storage::LogManager> open_logs() {
        auto logs = storage::LogManager::open(io_, {dir_.string()}, storage::LogConfig{});
        EXPECT_TRUE(logs);
        return std::move(logs).value();
    }

    common::Result<ProduceResult> produce(const std::shared_ptr<Partition>& p, BatchSpec spec,
                                          int16_t acks) {
        common::Result<ProduceResult> out = Errc::Shutdown;
        common::asio::co_spawn(io_context_, produce_into(p, make_batch(spec), acks, &out),
                               common::asio::detached);
        io_context_.run();
        io_context_.restart();
        return out;
    }

    fs::path dir_;
    storage::PosixFileIo io_;
    common::asio::io_context io_context_;
};

TEST_F(StorageLogStoreTest, ProduceFetchAndProducerStateSurviveARestart) {
    const BatchSpec first{.producer_id = 1, .producer_epoch = 0, .base_sequence = 0};
    {
        auto logs = open_logs();
        PartitionManager pm(io_context_.get_executor(),
                            std::make_unique<StorageLogStore>(logs.get()));
        auto p = pm.create("t", 0, {}, {}).value();
        ASSERT_EQ(produce(p, first, -1).value().base_offset, 0);
        ASSERT_EQ(produce(p, {.values = {"a", "b"}}, 1).value().base_offset, 1);
        auto read = p->read(0, 1 << 20, true);
        ASSERT_TRUE(read);
        EXPECT_EQ(read.value().high_watermark, 3);
        ASSERT_TRUE(pm.close_all());
        ASSERT_TRUE(logs->close());
    }
    auto logs = open_logs();
    PartitionManager pm(io_context_.get_executor(), std::make_unique<StorageLogStore>(logs.get()));
    auto p = pm.create("t", 0, {}, {}).value();
    EXPECT_EQ(p->high_watermark(), 3);
    auto retry = produce(p, first, -1);
    ASSERT_TRUE(retry);
    EXPECT_TRUE(retry.value().duplicate);
    EXPECT_EQ(retry.value().base_offset, 0);
    EXPECT_EQ(p->offset_for(-1).value().offset, 3);
    EXPECT_EQ(p->offset_for(-2).value().offset, 0);
    auto id = pm.allocate_producer_id();
    ASSERT_TRUE(id);
    EXPECT_TRUE(fs::exists(dir_ / "producer_id_block"));
}

}  // namespace
}  // namespace broker::partition
