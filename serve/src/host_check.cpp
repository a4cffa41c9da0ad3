#include "tcpviz/serve/host_check.h"

#include <arpa/inet.h>

#include <string>

namespace tcpviz::serve {
namespace {

bool same_name(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

bool is_port(std::string_view s) {
    if (s.empty() || s.size() > 5) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace

bool host_allowed(std::string_view host, std::string_view machine) {
    if (host.empty()) return true;
    if (host.front() == '[') {  // [v6]:port or [v6]
        const std::size_t close = host.find(']');
        if (close == std::string_view::npos) return false;
        const std::string_view rest = host.substr(close + 1);
        if (!rest.empty() && !(rest.front() == ':' && is_port(rest.substr(1)))) return false;
        in6_addr a6{};
        return ::inet_pton(AF_INET6, std::string(host.substr(1, close - 1)).c_str(), &a6) == 1;
    }
    std::string_view name = host;
    if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
        if (!is_port(host.substr(colon + 1))) return false;
        name = host.substr(0, colon);
    }
    if (name.empty()) return false;
    if (name.back() == '.') name.remove_suffix(1);  // "localhost." is "localhost"
    in_addr a4{};
    if (::inet_pton(AF_INET, std::string(name).c_str(), &a4) == 1) return true;
    if (same_name(name, "localhost")) return true;
    if (machine.empty()) return false;
    if (same_name(name, machine)) return true;
    return name.size() == machine.size() + 6 && same_name(name.substr(0, machine.size()), machine) &&
           same_name(name.substr(machine.size()), ".local");
}

}  // namespace tcpviz::serve
