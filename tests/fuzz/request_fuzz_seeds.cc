// Writes a seed corpus for request_fuzz: one valid frame payload (header + body) per request
// type and version, filled and default. Usage: request_fuzz_seeds <dir>

#include <cstdio>
#include <string>

#include "common/protocol/headers.h"
#include "common/protocol/messages/test_data.h"

namespace {

struct WriteSeeds {
    std::string dir;
    int written = 0;

    template <class T>
    void operator()() {
        using namespace common::protocol;
        if constexpr (T::kIsRequest) {
            for (int16_t v = T::kMinVersion; v <= T::kMaxVersion; ++v) {
                T filled;
                test_data::fill(filled, v);
                int variant = 0;
                for (const T& m : {filled, T{}}) {
                    Writer w;
                    write_request_header(w, RequestHeader{T::kApiKey, v, 1, "seed"});
                    m.write(w, v);
                    const std::string path = dir + "/" +
                                             std::to_string(static_cast<int>(T::kApiKey)) + "_v" +
                                             std::to_string(v) + "_" + std::to_string(variant++);
                    if (FILE* f = std::fopen(path.c_str(), "wb")) {
                        std::fwrite(w.data().data(), 1, w.size(), f);
                        std::fclose(f);
                        ++written;
                    }
                }
            }
        }
    }
};

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <dir>\n", argv[0]);
        return 2;
    }
    WriteSeeds seeds{argv[1]};
    common::protocol::for_each_message_type(seeds);
    std::printf("wrote %d seeds to %s\n", seeds.written, argv[1]);
    return seeds.written > 0 ? 0 : 1;
}
