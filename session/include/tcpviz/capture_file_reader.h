// A capture file read into a TimelineSession: every record in order, the
// BPF filter applied, and what went wrong on the way turned into warnings.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "tcpviz/pcap_file.h"
#include "tcpviz/timeline_session.h"

namespace tcpviz {

// The capture at `path` ("-": standard input) opened, with `filter` (BPF;
// empty: none) set and a link type tcpviz decodes; nullptr and `error` set
// otherwise.
std::unique_ptr<PcapFile> open_capture_file(const std::string& path, const std::string& filter, std::string& error);

// Called after each record has gone through the session, with the number of
// packets read; the file is then at the next record. False stops reading
// there (serve's index, cancelled).
using ReadProgress = std::function<bool(std::uint64_t packets)>;

// Feeds `file` to `session` (begun already) until the file ends. A file cut
// off in the middle of a packet, records with impossible timestamps and TCP
// packets too short to show their ports become the session's warnings; a
// damaged file too, and its description is returned: `tcpviz analyze` treats
// it as an error, `tcpviz serve` shows what came before. Throws OutputFailure
// when a writer fails.
std::optional<std::string> read_capture_file(PcapFile& file, TimelineSession& session,
                                             const ReadProgress& progress = {});

}  // namespace tcpviz
