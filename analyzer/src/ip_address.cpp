#include "tcpviz/ip_address.h"

#include <arpa/inet.h>

namespace tcpviz {

std::string IpAddress::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    const int family = version == 6 ? AF_INET6 : AF_INET;
    if (version == 0 || inet_ntop(family, bytes.data(), text, sizeof text) == nullptr) {
        return "?";
    }
    return text;
}

}  // namespace tcpviz
