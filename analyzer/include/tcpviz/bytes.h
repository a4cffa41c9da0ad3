// Bounds-checked big-endian reads over captured bytes.
//
// Every field of every header is read through these helpers. A decoder first
// checks, once, that the bytes it needs were captured (`has`), then reads
// named offsets. Reads copy with memcpy and swap; nothing is ever cast onto
// packet memory, whose alignment is unknown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace tcpviz {

using Bytes = std::span<const std::byte>;

inline bool has(Bytes b, std::size_t offset, std::size_t count) {
    return offset <= b.size() && count <= b.size() - offset;
}

// The caller must have checked has(b, offset, N) first.
inline std::uint8_t be8(Bytes b, std::size_t offset) { return static_cast<std::uint8_t>(b[offset]); }

inline std::uint16_t be16(Bytes b, std::size_t offset) {
    std::uint16_t v;
    std::memcpy(&v, b.data() + offset, sizeof v);
    return __builtin_bswap16(v);
}

inline std::uint32_t be32(Bytes b, std::size_t offset) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + offset, sizeof v);
    return __builtin_bswap32(v);
}

// Little-endian, for the one header that uses host order on the wire of a
// capture file: the BSD loopback (DLT_NULL) family word.
inline std::uint32_t le32(Bytes b, std::size_t offset) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + offset, sizeof v);
    return v;
}

// The bytes from offset to the end, or empty when offset is past the end.
inline Bytes tail(Bytes b, std::size_t offset) { return offset <= b.size() ? b.subspan(offset) : Bytes{}; }

}  // namespace tcpviz
