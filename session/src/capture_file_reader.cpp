#include "tcpviz/capture_file_reader.h"

#include "tcpviz/link_layer.h"

namespace tcpviz {
namespace {

// The warnings that only the whole file can give.
void warn_after_reading(const PcapFile& file, TimelineSession& session) {
    if (const std::uint64_t cut = session.analyzer().stats().tcp_without_ports; cut > 0) {
        session.warn(std::to_string(cut) + " TCP packet" + (cut == 1 ? "" : "s") +
                     " kept too little of the TCP header to show even the ports (snaplen too small?); "
                     "counted as undecodable, as Wireshark shows no TCP for them");
    }
    if (const std::string clamped = file.timestamp_warning(); !clamped.empty()) session.warn(clamped);
    const ConnectionTable& table = session.analyzer().connections();
    if (const std::uint64_t early = table.retired_early_count(); early > 0) {
        // Nothing in the timeline changes (a retired connection comes back
        // with its numbers), but the user should know the table was full.
        session.warn("more than " + std::to_string(table.policy().max_open) + " connections were open at once: " +
                     std::to_string(early) + " of them were set aside compactly while still open (the timeline " +
                     "is the same; memory stays bounded)");
    }
}

}  // namespace

std::unique_ptr<PcapFile> open_capture_file(const std::string& path, const std::string& filter, std::string& error) {
    std::unique_ptr<PcapFile> file = PcapFile::open(path, error);
    if (!file) return nullptr;
    if (!filter.empty() && !file->set_filter(filter, error)) return nullptr;
    if (!is_supported_link_type(file->link_type())) {
        error = "link type " + std::to_string(file->link_type()) +
                " is not supported (Ethernet, Linux cooked, BSD loopback and raw IP are)";
        return nullptr;
    }
    return file;
}

std::optional<std::string> read_capture_file(PcapFile& file, TimelineSession& session, const ReadProgress& progress) {
    PacketRecord record;
    std::uint64_t frame = 0;
    std::string message;
    while (true) {
        const PcapFile::Status status = file.next(record, message);
        if (status == PcapFile::Status::end) break;
        if (status == PcapFile::Status::cut_off) {
            session.warn("the file ends in the middle of a packet; the timeline shows the " + std::to_string(frame) +
                         " packets before it (" + message + ")");
            break;
        }
        if (status == PcapFile::Status::damaged) {
            const std::string damage = "damaged after packet " + std::to_string(frame) + ": " + message;
            session.warn(damage);
            warn_after_reading(file, session);
            return damage;
        }
        ++frame;
        if (file.matches(record)) session.add(record, frame);
        if (progress && !progress(frame)) break;
    }
    warn_after_reading(file, session);
    return std::nullopt;
}

}  // namespace tcpviz
