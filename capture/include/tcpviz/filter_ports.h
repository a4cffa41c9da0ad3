// Which ports a capture filter is about, so that the kernel sampler can look
// at the same sockets the capture sees.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace tcpviz {

// The ports named by the simple BPF primitives `port N`, `tcp port N`,
// `src port N`, `dst port N` in `filter`, in order, without repeats; ports
// under a `not` / `!` are left out. Anything fancier (portrange, arithmetic)
// yields nothing, and the caller falls back to --sample-port.
std::vector<std::uint16_t> ports_in_filter(std::string_view filter);

}  // namespace tcpviz
