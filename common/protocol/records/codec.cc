#include "common/protocol/records/codec.h"

namespace common::records {

std::string_view codec_name(Codec c) {
    switch (c) {
        case Codec::None:
            return "none";
        case Codec::Gzip:
            return "gzip";
        case Codec::Snappy:
            return "snappy";
        case Codec::Lz4:
            return "lz4";
        case Codec::Zstd:
            return "zstd";
    }
    return "unknown";
}

}  // namespace common::records
