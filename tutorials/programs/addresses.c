/* tcpviz-addresses: what the address conversion functions return, for the
 * lesson on addresses and the lab `tcpviz lab addresses`.
 * Usage: tcpviz-addresses [ADDRESS...] (each also converted first).
 *
 * Each line is `call = result [bytes]`, the bytes of the binary address in
 * memory order (network order: the first byte is the first number of
 * "192.168.10.150"). Nothing is written into the output: every value is
 * what this machine's C library returned. */
#define _DEFAULT_SOURCE /* inet_aton(), inet_addr(), inet_ntoa(), inet_network() */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

static void print_bytes(const void *object, size_t size) {
    const unsigned char *byte = object;
    printf(" [");
    for (size_t i = 0; i < size; i++) printf(i == 0 ? "%02x" : " %02x", byte[i]);
    printf("]");
}

/* inet_pton(): the modern call, IPv4 and IPv6. Returns 1 if `text` is an
 * address, 0 if it is not, -1 (errno EAFNOSUPPORT) for an unknown family.
 * (Careful: 1 means success -- the opposite of most calls.) */
static void show_pton(int family, const char *family_name, const char *text) {
    unsigned char binary[sizeof(struct in6_addr)] = {0};
    int rc = inet_pton(family, text, binary);
    printf("inet_pton(%s, \"%s\") = %d", family_name, text, rc);
    if (rc == 1) print_bytes(binary, family == AF_INET ? 4 : 16);
    printf("\n");
    if (rc != 1) return;
    /* inet_ntop(): binary -> text, into OUR buffer (no static storage).
     * INET6_ADDRSTRLEN is big enough for any address. */
    char back[INET6_ADDRSTRLEN];
    printf("inet_ntop(%s, above) = \"%s\"\n", family_name, inet_ntop(family, binary, back, sizeof back));
}

/* inet_aton(): IPv4 only; 1 if valid, 0 if not. It also accepts the old
 * short forms ("10.1" is 10.0.0.1), which inet_pton() refuses. */
static void show_aton(const char *text) {
    struct in_addr a;
    memset(&a, 0, sizeof a);
    int rc = inet_aton(text, &a);
    printf("inet_aton(\"%s\") = %d", text, rc);
    if (rc == 1) print_bytes(&a.s_addr, 4);
    printf("\n");
}

/* inet_addr(): the oldest call; returns the address (network order) or
 * INADDR_NONE on error. INADDR_NONE is 0xffffffff, which is also the
 * address 255.255.255.255: the two cannot be told apart. */
static void show_addr(const char *text) {
    in_addr_t a = inet_addr(text);
    printf("inet_addr(\"%s\") = 0x%08x", text, (unsigned)a);
    print_bytes(&a, 4);
    printf(" %s INADDR_NONE\n", a == INADDR_NONE ? "==" : "!=");
}

int main(int argc, char *argv[]) {
    /* Addresses given on the command line first (the lab passes the one
     * its client connects to, to compare with the captured IP header). */
    for (int i = 1; i < argc; i++) {
        if (strchr(argv[i], ':') != NULL) show_pton(AF_INET6, "AF_INET6", argv[i]);
        else show_pton(AF_INET, "AF_INET", argv[i]);
    }
    show_pton(AF_INET, "AF_INET", "192.168.10.150");
    show_pton(AF_INET, "AF_INET", "256.1.1.1"); /* 256 does not fit a byte: 0 */
    show_pton(AF_INET, "AF_INET", "10.1");      /* short forms refused: 0 */
    show_pton(AF_INET6, "AF_INET6", "2001:db8::1");
    show_pton(AF_INET6, "AF_INET6", "::ffff:192.168.10.150"); /* an IPv4 address inside IPv6 */

    show_aton("192.168.10.150");
    show_aton("10.1");            /* accepted: 10.0.0.1 */
    show_aton("255.255.255.255"); /* valid: 1 */
    show_aton("not.an.address");  /* invalid: 0 -- aton tells the two apart */

    show_addr("192.168.10.150");
    show_addr("255.255.255.255"); /* valid address ... */
    show_addr("not.an.address");  /* ... and error: the same value */

    /* inet_network(): like inet_addr() but the result is in HOST order. */
    printf("inet_network(\"192.168.10.150\") = 0x%08x\n", (unsigned)inet_network("192.168.10.150"));

    /* inet_ntoa(): binary -> text in ONE static buffer inside the C
     * library, overwritten by every call. Called twice in one printf, both
     * calls run before printf does, both return the same pointer, and the
     * buffer holds only the text of whichever call ran last: the same
     * address is printed twice. */
    struct in_addr first, second;
    inet_aton("192.168.10.150", &first);
    inet_aton("127.0.0.1", &second);
    printf("inet_ntoa(192.168.10.150), inet_ntoa(127.0.0.1) = \"%s\", \"%s\"\n", inet_ntoa(first),
           inet_ntoa(second));
    printf("inet_ntoa(a) == inet_ntoa(b) (same pointer) = %d\n", inet_ntoa(first) == inet_ntoa(second));
    /* The fix: copy each result out (or use inet_ntop with your own buffers). */
    char first_text[INET_ADDRSTRLEN], second_text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &first, first_text, sizeof first_text);
    inet_ntop(AF_INET, &second, second_text, sizeof second_text);
    printf("inet_ntop(192.168.10.150), inet_ntop(127.0.0.1) = \"%s\", \"%s\"\n", first_text, second_text);
    return 0;
}
