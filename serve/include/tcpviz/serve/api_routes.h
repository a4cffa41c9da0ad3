// The read-only API as a pure function: a request's path and parameters in,
// a JSON answer out (see serve/API.md). The HTTP layer calls it; tests can too.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "tcpviz/serve/session.h"
#include "tcpviz/serve/sessions.h"

namespace tcpviz::serve {

// Query parameters, decoded (the same type as httplib::Params).
using Params = std::multimap<std::string, std::string>;

inline constexpr std::uint64_t default_event_count = 500;
inline constexpr std::uint64_t max_event_count = 2000;
inline constexpr std::uint32_t max_series_width = 8192;

struct ApiContext {
    const Sessions& sessions;
    std::optional<std::size_t> live_session;  // its id, with --live
    std::string version;
};

// `path` starts with "/api/". 404 for a path the API does not have.
Answer route_api(const ApiContext& context, std::string_view path, const Params& params);

}  // namespace tcpviz::serve
