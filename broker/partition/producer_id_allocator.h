#pragma once
// Producer ids for InitProducerId on a single node. Ids are handed out from blocks: before the
// first id of a block is used, the end of the block is persisted (file `producer_id_block` under
// the first log dir), so after a restart allocation resumes past every id ever handed out.
// One per broker, owned by the app and used only on shard 0 (callers hop there).

#include <cstdint>
#include <filesystem>

#include "common/result.h"

namespace broker::partition {

class ProducerIdAllocator {
  public:
    static constexpr int64_t kBlockSize = 1000;

    // Reads the persisted block end (0 when the file does not exist yet). Errors: IoError,
    // Malformed (the file exists but is unreadable).
    [[nodiscard]] static common::Result<ProducerIdAllocator> open(std::filesystem::path dir);

    // The next producer id. Errors: IoError when the next block cannot be persisted.
    [[nodiscard]] common::Result<int64_t> allocate();

  private:
    ProducerIdAllocator(std::filesystem::path dir, int64_t next)
        : dir_(std::move(dir)), next_(next), block_end_(next) {}

    std::filesystem::path dir_;
    int64_t next_ = 0;       // next id to hand out
    int64_t block_end_ = 0;  // first id not covered by the persisted block
};

// Clustered mode: every broker allocates locally (ProducerIdAllocator, never reused across
// restarts) and interleaves its ids with the other brokers' by its node id: local id n of broker
// b is n * 2^31 + b, unique across the cluster without coordination (docs/cluster-metadata.md).
// TooLarge once n reaches 2^32 (the result would pass INT64_MAX); InvalidArgument for a
// negative n or node id.
inline constexpr int64_t kProducerIdNodeStride = int64_t{1} << 31;
[[nodiscard]] common::Result<int64_t> cluster_producer_id(int64_t local, int32_t node_id);

}  // namespace broker::partition
