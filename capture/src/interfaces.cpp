#include "tcpviz/interfaces.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sys/socket.h>

namespace tcpviz {
namespace {

std::string address_text(const sockaddr* sa) {
    char text[INET6_ADDRSTRLEN] = {};
    if (sa == nullptr) return {};
    if (sa->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
        return inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) ? text : "";
    }
    if (sa->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
        return inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text) ? text : "";
    }
    return {};  // link-layer (AF_PACKET) addresses: not what a TCP lesson needs
}

}  // namespace

bool list_interfaces(std::vector<InterfaceInfo>& out, std::string& error) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_if_t* all = nullptr;
    if (pcap_findalldevs(&all, errbuf) != 0) {
        error = errbuf;
        return false;
    }
    for (const pcap_if_t* dev = all; dev != nullptr; dev = dev->next) {
        InterfaceInfo info;
        info.name = dev->name;
        if (dev->description) info.description = dev->description;
        info.loopback = (dev->flags & PCAP_IF_LOOPBACK) != 0;
        info.up = (dev->flags & PCAP_IF_UP) != 0;
        info.running = (dev->flags & PCAP_IF_RUNNING) != 0;
        for (const pcap_addr_t* a = dev->addresses; a != nullptr; a = a->next) {
            std::string text = address_text(a->addr);
            if (!text.empty()) info.addresses.push_back(std::move(text));
        }
        out.push_back(std::move(info));
    }
    pcap_freealldevs(all);
    return true;
}

}  // namespace tcpviz
