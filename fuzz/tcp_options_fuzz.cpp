// The TCP options parser on any bytes and any declared length, and the
// whole TCP header parser on the same bytes.
#include <cstddef>
#include <cstdint>

#include "tcpviz/tcp_header.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t declared = data[0] % 48;  // the first byte: the length the header claims
    const tcpviz::Bytes area(reinterpret_cast<const std::byte*>(data + 1), size - 1);
    const tcpviz::TcpOptions options = tcpviz::parse_tcp_options(area, declared);
    if (options.sack_count > options.sack.size()) __builtin_trap();
    (void)tcpviz::parse_tcp(area, static_cast<std::uint32_t>(size - 1 + declared));
    return 0;
}
