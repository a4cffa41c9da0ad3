// The peers tcpviz is measured against in scripts/bench.sh, on the same file:
//   pcap_read_loop --bare FILE          a bare libpcap read loop (the floor)
//   pcap_read_loop --decode-print FILE  the same loop decoding Ethernet/IP/TCP
//                                       and printing one line per packet
// Both print the packet count on stderr.
#include <pcap/pcap.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
    if (argc != 3 || (std::strcmp(argv[1], "--bare") != 0 && std::strcmp(argv[1], "--decode-print") != 0)) {
        std::fprintf(stderr, "usage: pcap_read_loop --bare|--decode-print FILE\n");
        return 2;
    }
    const bool print = std::strcmp(argv[1], "--decode-print") == 0;
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t* p = pcap_open_offline(argv[2], errbuf);
    if (!p) {
        std::fprintf(stderr, "pcap_read_loop: %s\n", errbuf);
        return 2;
    }
    const int link = pcap_datalink(p);
    std::size_t link_len = link == DLT_EN10MB ? 14 : link == DLT_LINUX_SLL ? 16 : link == DLT_LINUX_SLL2 ? 20 : 0;
    pcap_pkthdr* h;
    const u_char* d;
    unsigned long long n = 0, sum = 0;
    while (pcap_next_ex(p, &h, &d) == 1) {
        ++n;
        if (!print) {
            sum += h->caplen;
            continue;
        }
        // Minimal IPv4/TCP decode, no checks beyond the captured length.
        if (h->caplen < link_len + 40) continue;
        const u_char* ip = d + link_len;
        if ((ip[0] >> 4) != 4 || ip[9] != 6) continue;
        const unsigned ihl = (ip[0] & 0x0F) * 4u;
        if (h->caplen < link_len + ihl + 20) continue;
        const u_char* tcp = ip + ihl;
        const unsigned sport = tcp[0] << 8 | tcp[1], dport = tcp[2] << 8 | tcp[3];
        const unsigned long seq = (unsigned long)tcp[4] << 24 | tcp[5] << 16 | tcp[6] << 8 | tcp[7];
        const unsigned long ack = (unsigned long)tcp[8] << 24 | tcp[9] << 16 | tcp[10] << 8 | tcp[11];
        const unsigned win = tcp[14] << 8 | tcp[15];
        const unsigned total = ip[2] << 8 | ip[3];
        const unsigned len = total - ihl - (tcp[12] >> 4) * 4u;
        std::printf("%ld.%06ld %u.%u.%u.%u:%u > %u.%u.%u.%u:%u flags %02x seq %lu ack %lu win %u len %u\n",
                    (long)h->ts.tv_sec, (long)h->ts.tv_usec, ip[12], ip[13], ip[14], ip[15], sport, ip[16], ip[17],
                    ip[18], ip[19], dport, tcp[13], seq, ack, win, len);
    }
    std::fprintf(stderr, "%llu packets (%llu bytes)\n", n, sum);
    pcap_close(p);
    return 0;
}
