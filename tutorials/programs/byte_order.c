/* tcpviz-byte-order [PORT [IPV4-ADDRESS]]: a port and an address, byte by
 * byte, in host order and in network order. For the lesson on byte order
 * and the lab `tcpviz lab byte-order`.
 *
 * Each line is `expression = value [bytes]`, the bytes in memory order
 * (lowest address first): the order a CPU stores them, and the order
 * send() would put them on the wire. Defaults: port 6666 and
 * 192.168.10.150, the course's port and address. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the bytes of any object as they lie in memory: lowest address first. */
static void print_bytes(const void *object, size_t size) {
    const unsigned char *byte = object; /* any object may be read as unsigned chars */
    printf("[");
    for (size_t i = 0; i < size; i++) printf(i == 0 ? "%02x" : " %02x", byte[i]);
    printf("]\n");
}

int main(int argc, char *argv[]) {
    const char *address_text = argc > 2 ? argv[2] : "192.168.10.150";
    long port_arg = argc > 1 ? strtol(argv[1], NULL, 10) : 6666;
    if (port_arg < 0 || port_arg > 65535) {
        fprintf(stderr, "usage: %s [PORT [IPV4-ADDRESS]]\n", argv[0]);
        return 2;
    }

    /* Which end comes first on THIS machine: the integer 1 has one non-zero
     * byte. Little-endian (x86-64, most ARM) stores it first: [01 00 00 00]. */
    uint32_t one = 1;
    printf("1 = 1 ");
    print_bytes(&one, sizeof one);

    /* A port is a 16-bit number. In host order its low byte comes first on
     * a little-endian machine; TCP's header wants the high byte first
     * (network order = big-endian). htons() = "host to network, short". */
    uint16_t port = (uint16_t)port_arg;
    printf("port = %u ", port);
    print_bytes(&port, sizeof port);
    uint16_t port_net = htons(port);
    printf("htons(port) = %u ",
           port_net); /* the same bytes read as a host number: what forgetting ntohs() prints */
    print_bytes(&port_net, sizeof port_net);
    uint16_t port_back = ntohs(port_net); /* back: ntohs() undoes htons() */
    printf("ntohs(htons(port)) = %u ", port_back);
    print_bytes(&port_back, sizeof port_back);

    /* An IPv4 address is a 32-bit number: 192.168.10.150 = 0xc0a80a96.
     * Built by hand in host order, it lies backwards in memory here... */
    struct in_addr parsed;
    if (inet_pton(AF_INET, address_text, &parsed) != 1) { /* text -> 4 bytes in network order */
        fprintf(stderr, "usage: %s [PORT [IPV4-ADDRESS]]\n", argv[0]);
        return 2;
    }
    uint32_t address = ntohl(parsed.s_addr); /* the address as a host number, e.g. 0xc0a80a96 */
    printf("address = 0x%08x ", (unsigned)address);
    print_bytes(&address, sizeof address);
    /* ... and htonl() ("host to network, long") puts 192 first, as the IP header wants. */
    uint32_t address_net = htonl(address);
    printf("htonl(address) = 0x%08x ", (unsigned)address_net);
    print_bytes(&address_net, sizeof address_net);

    /* What bind() and connect() are given: a sockaddr_in whose sin_port and
     * sin_addr must already be in network order. These bytes are copied
     * as they are into the TCP and IP headers of every segment. */
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port); /* forget htons() and the SYN goes to another port */
    sa.sin_addr.s_addr = htonl(address);
    printf("sockaddr_in.sin_port = htons(%u) ", port);
    print_bytes(&sa.sin_port, sizeof sa.sin_port);
    printf("sockaddr_in.sin_addr = htonl(0x%08x) ", (unsigned)address);
    print_bytes(&sa.sin_addr, sizeof sa.sin_addr);
    return 0;
}
