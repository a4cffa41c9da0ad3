// The interfaces libpcap can capture on, for `tcpviz capture --list-interfaces`.
#pragma once

#include <string>
#include <vector>

namespace tcpviz {

struct InterfaceInfo {
    std::string name;         // what -i takes
    std::string description;  // often empty on Linux
    bool loopback = false;
    bool up = false;
    bool running = false;
    std::vector<std::string> addresses;  // IPv4 and IPv6, as text
};

// In libpcap's order (up and running first). False with `error` set when
// libpcap cannot list them.
bool list_interfaces(std::vector<InterfaceInfo>& out, std::string& error);

}  // namespace tcpviz
