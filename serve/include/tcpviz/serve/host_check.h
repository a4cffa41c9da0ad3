// Which Host headers `tcpviz serve` answers. A server on 127.0.0.1 can still
// be read by a hostile web page through DNS rebinding: its name is made to
// resolve to 127.0.0.1, and the browser, seeing the same origin, lets the
// page read the answers (the captures). Such requests carry the hostile
// name in Host, so only addresses and this machine's own names are answered.
#pragma once

#include <string_view>

namespace tcpviz::serve {

// True when `host` (a Host header: name or address, with or without
// ":port") is an IPv4 or bracketed IPv6 address, "localhost", or this
// machine's name (`machine`, with or without ".local"); also when empty
// (HTTP/1.0 clients send none; a browser always does). Case-insensitive.
bool host_allowed(std::string_view host, std::string_view machine);

}  // namespace tcpviz::serve
