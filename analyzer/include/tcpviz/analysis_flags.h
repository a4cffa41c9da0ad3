// The analysis findings of one segment, named as Wireshark names them
// (`tcp.analysis.*`), so that a student can hold tcpviz and Wireshark side
// by side.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace tcpviz {

enum class Finding : std::uint8_t {
    retransmission,
    fast_retransmission,
    spurious_retransmission,
    out_of_order,
    duplicate_ack,
    zero_window,
    zero_window_probe,
    zero_window_probe_ack,
    window_update,
    window_full,
    keep_alive,
    keep_alive_ack,
    lost_segment,
    ack_lost_segment,
    reused_ports,
    count_  // not a finding: the number of them
};

inline constexpr std::size_t finding_count = static_cast<std::size_t>(Finding::count_);

inline constexpr std::array<std::string_view, finding_count> finding_names = {
    "retransmission",
    "fast_retransmission",
    "spurious_retransmission",
    "out_of_order",
    "duplicate_ack",
    "zero_window",
    "zero_window_probe",
    "zero_window_probe_ack",
    "window_update",
    "window_full",
    "keep_alive",
    "keep_alive_ack",
    "lost_segment",
    "ack_lost_segment",
    "reused_ports",
};

constexpr std::string_view name_of(Finding f) { return finding_names[static_cast<std::size_t>(f)]; }

// A set of findings as a bit mask.
struct Findings {
    std::uint32_t bits = 0;

    constexpr void add(Finding f) { bits |= 1u << static_cast<unsigned>(f); }
    constexpr bool has(Finding f) const { return (bits & (1u << static_cast<unsigned>(f))) != 0; }
    constexpr bool empty() const { return bits == 0; }
    friend constexpr bool operator==(Findings, Findings) = default;

    // Wireshark reports a fast or spurious retransmission also as a
    // retransmission (both expert infos are added); `analysis` lists do too.
    constexpr bool is_any_retransmission() const {
        return has(Finding::retransmission) || has(Finding::fast_retransmission) ||
               has(Finding::spurious_retransmission);
    }
};

}  // namespace tcpviz
