/* tcpviz-boundary-writer HOST PORT [MSS]: the writer half of the lesson
 * "one send() is not one recv()" (lab `tcpviz lab message-boundaries`).
 *
 * Sends six messages, each a line ending in '\n', each with ONE send():
 * five short ones back to back, then, half a second later, one of 6000
 * bytes. Logs every send() to stdout as `t=SECONDS send() = BYTES`, the
 * time on the same clock as a capture's timestamps, so the lab can put
 * each call beside the segments it caused.
 *
 * MSS, if given, is set with TCP_MAXSEG before connect(): loopback's MTU
 * is 65536, so without it the 6000-byte message would leave as one
 * segment; with MSS 1000 it needs several (each carries 1000 bytes less the
 * 12 bytes of the timestamp option). */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { short_messages = 5, long_message_bytes = 6000 };

/* `when` is taken just before the call: the segments it causes come after. */
static void log_call(const struct timespec *when, const char *call, long bytes) {
    printf("t=%lld.%06ld %s = %ld\n", (long long)when->tv_sec, when->tv_nsec / 1000, call, bytes);
    fflush(stdout);
}

/* One message, one send() -- the point of the lesson is what happens to
 * that boundary. A blocking send() of a few KiB returns only when all of it
 * is in the kernel's send buffer; the loop covers the rare partial send. */
static int send_message(int fd, const char *message, size_t len) {
    struct timespec when;
    clock_gettime(CLOCK_REALTIME, &when); /* pcap timestamps use this clock too */
    ssize_t n = send(fd, message, len, 0);
    if (n < 0) return -1;
    log_call(&when, "send()", (long)n);
    if ((size_t)n < len) return send_message(fd, message + n, len - (size_t)n);
    return 0;
}

int main(int argc, char *argv[]) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s HOST PORT [MSS]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in server;
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) {
        fprintf(stderr, "usage: %s IPV4-ADDRESS PORT [MSS]\n", argv[0]);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    if (argc > 3) {
        int mss = atoi(argv[3]); /* the largest segment we will send: our SYN announces it */
        if (setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss) < 0) perror("setsockopt TCP_MAXSEG");
    }
    if (connect(fd, (struct sockaddr *)&server, sizeof server) < 0) { /* the handshake */
        perror("connect");
        return 1;
    }

    /* Five short messages, five send() calls, no pause between them. The
     * kernel may put them in one segment or several (Nagle's algorithm
     * holds small ones back while data is unacknowledged), and the reader
     * may get them in one recv(): nothing in the byte stream says where one
     * message ended. The '\n' is our own boundary marker. */
    char message[64];
    for (int i = 1; i <= short_messages; i++) {
        int len = snprintf(message, sizeof message, "message %d\n", i);
        if (send_message(fd, message, (size_t)len) < 0) perror("send");
    }

    struct timespec half_second = {0, 500 * 1000 * 1000};
    nanosleep(&half_second, NULL); /* let the reader take those before the long one */

    /* One long message, one send(): TCP cuts it into MSS-sized segments,
     * and the reader gets it in as many recv() calls as its buffer needs. */
    static char long_message[long_message_bytes];
    memset(long_message, 'x', sizeof long_message);
    memcpy(long_message, "message 6 ", 10);
    long_message[long_message_bytes - 1] = '\n';
    if (send_message(fd, long_message, sizeof long_message) < 0) perror("send");

    shutdown(fd, SHUT_WR); /* our FIN: the reader's recv() returns 0 after the last byte */
    char drain[256];
    while (recv(fd, drain, sizeof drain, 0) > 0) { /* wait for the reader's FIN */
    }
    close(fd);
    return 0;
}
