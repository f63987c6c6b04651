#pragma once
// Big-endian (network order) loads and stores on raw bytes, for the fixed-width fields of record
// batches. Callers check bounds first; these functions do not.

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace common::records::be {

template <class T>
T load(const uint8_t* p) {
    static_assert(std::is_integral_v<T>);
    std::make_unsigned_t<T> u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
        u = static_cast<std::make_unsigned_t<T>>((u << 8) | p[i]);
    }
    return static_cast<T>(u);
}

template <class T>
void store(uint8_t* p, T v) {
    static_assert(std::is_integral_v<T>);
    auto u = static_cast<std::make_unsigned_t<T>>(v);
    for (size_t i = sizeof(T); i > 0; --i) {
        p[i - 1] = static_cast<uint8_t>(u & 0xFF);
        u = static_cast<std::make_unsigned_t<T>>(u >> 8);
    }
}

}  // namespace common::records::be
