#include "common/protocol/records/batch_splitter.h"

#include "common/errc.h"
#include "common/protocol/records/big_endian.h"
#include "common/protocol/records/record_batch.h"

namespace common::records {

Result<std::optional<std::span<const uint8_t>>> BatchSplitter::next() {
    const size_t remaining = buffer_.size() - position_;
    if (remaining == 0) {
        return std::optional<std::span<const uint8_t>>{};
    }
    if (remaining < kLogOverhead) {
        return Errc::Truncated;
    }
    const auto length = be::load<int32_t>(buffer_.data() + position_ + kBatchLengthPos);
    if (length < static_cast<int32_t>(kBatchHeaderSize - kLogOverhead)) {
        return Errc::Malformed;
    }
    const size_t size = kLogOverhead + static_cast<size_t>(length);
    if (size > remaining) {
        return Errc::Truncated;
    }
    auto batch = buffer_.subspan(position_, size);
    position_ += size;
    return std::optional<std::span<const uint8_t>>{batch};
}

SplitBatches split_batches(std::span<const uint8_t> buffer) {
    SplitBatches out;
    BatchSplitter splitter(buffer);
    while (true) {
        auto next = splitter.next();
        if (!next) {
            out.tail = next.error();
            break;
        }
        if (!next.value()) {
            break;
        }
        out.batches.push_back(*next.value());
    }
    out.valid_bytes = splitter.position();
    return out;
}

}  // namespace common::records
