// The record path without libpcap: structured records with any link type,
// captured length, wire length and timestamp go through decode_packet and
// the analyzer, and every writer formats the events.
//
// Input layout: 2 bytes link type, then records of
//   8 bytes ts_sec, 4 bytes ts_nsec, 4 bytes wire length, 2 bytes caplen, caplen bytes
// (little-endian; a record cut short takes what is left).
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "tcpviz/analyzer.h"
#include "tcpviz/packet.h"
#include "writers.h"

namespace {

template <typename T>
T take(const std::uint8_t*& p, const std::uint8_t* end) {
    T value{};
    const std::size_t n = std::min<std::size_t>(sizeof value, static_cast<std::size_t>(end - p));
    std::memcpy(&value, p, n);
    p += n;
    return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::uint8_t* p = data;
    const std::uint8_t* end = data + size;
    const int link_type = take<std::uint16_t>(p, end);
    tcpviz::Analyzer analyzer(link_type);
    tcpviz::fuzz::AllWriters writers;
    writers.begin(link_type);
    std::uint64_t frame = 0;
    while (p < end) {
        tcpviz::PacketRecord record;
        record.ts_sec = take<std::int64_t>(p, end);
        record.ts_nsec = take<std::int32_t>(p, end);
        record.wire_length = take<std::uint32_t>(p, end);
        const std::size_t caplen =
            std::min<std::size_t>(take<std::uint16_t>(p, end), static_cast<std::size_t>(end - p));
        record.data = tcpviz::Bytes(reinterpret_cast<const std::byte*>(p), caplen);
        p += caplen;
        (void)tcpviz::decode_packet(link_type, record);
        if (const tcpviz::Event* e = analyzer.add(record, ++frame)) writers.event(*e, analyzer);
    }
    writers.end(analyzer);
    return 0;
}
