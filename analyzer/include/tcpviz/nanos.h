// Time in tcpviz: nanoseconds since the epoch (or between two instants).
#pragma once

#include <cstdint>

namespace tcpviz {

using Nanos = std::int64_t;

}  // namespace tcpviz
