// An IPv4 or IPv6 address as a small value type: comparable, hashable,
// printable. IPv4 addresses use the first 4 bytes.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>

namespace tcpviz {

struct IpAddress {
    std::uint8_t version = 0;  // 4 or 6; 0 = none
    std::array<std::uint8_t, 16> bytes{};

    friend bool operator==(const IpAddress&, const IpAddress&) = default;
    // Orders like Wireshark's cmp_address: by length, then byte by byte.
    friend std::strong_ordering operator<=>(const IpAddress&, const IpAddress&) = default;

    std::size_t size() const { return version == 6 ? 16 : 4; }
    std::string to_string() const;  // "198.18.0.1", "::1"
};

}  // namespace tcpviz
