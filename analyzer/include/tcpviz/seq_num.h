// TCP sequence numbers live on a 32-bit circle (RFC 9293 section 3.4): a
// number is "before" another when the signed distance from it to the other is
// positive. A plain `<` on two uint32_t is wrong as soon as the stream wraps,
// so sequence and acknowledgment numbers are a type of their own whose
// comparisons wrap, exactly like Wireshark's GT_SEQ/LT_SEQ macros.
//
// The ordering is circular, not a strict weak order: never use SeqNum as the
// key of a sorted container.
//
// A raw number from the wire becomes a SeqNum implicitly (that is what it
// is); the way back is `.value`, so a plain `<` on two sequence numbers does
// not compile.
#pragma once

#include <cstdint>

namespace tcpviz {

struct SeqNum {
    std::uint32_t value = 0;

    constexpr SeqNum() = default;
    constexpr SeqNum(std::uint32_t v) : value(v) {}  // NOLINT: implicit on purpose, see above

    friend constexpr bool operator==(SeqNum, SeqNum) = default;
    friend constexpr bool operator<(SeqNum a, SeqNum b) { return static_cast<std::int32_t>(a.value - b.value) < 0; }
    friend constexpr bool operator<=(SeqNum a, SeqNum b) { return static_cast<std::int32_t>(a.value - b.value) <= 0; }
    friend constexpr bool operator>(SeqNum a, SeqNum b) { return b < a; }
    friend constexpr bool operator>=(SeqNum a, SeqNum b) { return b <= a; }

    // Advancing by a length wraps modulo 2^32.
    friend constexpr SeqNum operator+(SeqNum a, std::uint32_t n) { return SeqNum(a.value + n); }
    friend constexpr SeqNum operator-(SeqNum a, std::uint32_t n) { return SeqNum(a.value - n); }
    // The distance from b forward to a.
    friend constexpr std::uint32_t operator-(SeqNum a, SeqNum b) { return a.value - b.value; }
};

}  // namespace tcpviz
