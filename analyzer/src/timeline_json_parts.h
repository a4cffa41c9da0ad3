// The parts of the JSON timeline that its two writers (timeline_json.cpp)
// put together: the members of a connection object and of the stats
// object, each with the most it writes. Internal to the write layer.
#pragma once

#include <string>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/json_writer.h"

namespace tcpviz {

// The most it writes is connection_json_bound(c) (timeline_writer.h).
// "id", endpoints, handshake, teardown, counts, states; times in seconds
// since `origin`.
json::Writer write_connection_fields_json(json::Writer out, const Connection& c, Nanos origin, int decimals);

std::size_t stats_json_bound(const std::vector<std::string>& warnings);
json::Writer write_stats_fields_json(json::Writer out, const Analyzer& analyzer,
                                     const std::vector<std::string>& warnings);

}  // namespace tcpviz
