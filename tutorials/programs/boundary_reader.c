/* tcpviz-boundary-reader [PORT [BUFFER [WAIT_MS]]]: the reader half of the
 * lesson "one send() is not one recv()" (lab `tcpviz lab message-boundaries`).
 *
 * Accepts one connection, waits WAIT_MS (default 200) so that the writer's
 * first messages are all queued, then calls recv() with a BUFFER-byte
 * buffer (default 4096) until the writer's FIN. Logs each recv() as
 * `t=SECONDS recv() = BYTES`, then splits the stream at '\n' -- the only
 * correct way to find messages in a byte stream -- and logs each message
 * as `line N = BYTES, recv() #FIRST-#LAST`: which recv() calls held it. */
#define _POSIX_C_SOURCE 200809L

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { max_buffer = 65536 };

static void log_recv(long bytes) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now); /* the clock pcap timestamps use */
    printf("t=%lld.%06ld recv() = %ld\n", (long long)now.tv_sec, now.tv_nsec / 1000, bytes);
}

int main(int argc, char *argv[]) {
    int port = argc > 1 ? atoi(argv[1]) : 0;
    long buffer_size = argc > 2 ? atol(argv[2]) : 4096;
    long wait_ms = argc > 3 ? atol(argv[3]) : 200;
    if (buffer_size < 1 || buffer_size > max_buffer || wait_ms < 0) {
        fprintf(stderr, "usage: %s [PORT [BUFFER 1..%d [WAIT_MS]]]\n", argv[0], max_buffer);
        return 2;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons((unsigned short)port);
    int listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd < 0 || bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 ||
        listen(listen_fd, 1) < 0) {
        perror("socket/bind/listen");
        return 1;
    }
    socklen_t len = sizeof addr;
    getsockname(listen_fd, (struct sockaddr *)&addr, &len);
    fprintf(stderr, "listening on port %d\n", ntohs(addr.sin_port)); /* port 0: the kernel chose */
    fflush(stderr);
    int fd = accept(listen_fd, NULL, NULL);
    if (fd < 0) {
        perror("accept");
        return 1;
    }
    close(listen_fd);

    struct timespec wait = {wait_ms / 1000, (wait_ms % 1000) * 1000 * 1000};
    nanosleep(&wait, NULL); /* a busy program: bytes pile up in the receive buffer */

    static char buf[max_buffer];
    long calls = 0, line = 0, line_bytes = 0, line_first_call = 1;
    ssize_t n;
    /* recv() returns what has arrived, up to buffer_size bytes: a part of a
     * message, several messages, or the end of one and the start of the
     * next. Its return value says nothing about where messages end. */
    while ((n = recv(fd, buf, (size_t)buffer_size, 0)) > 0) {
        log_recv((long)n);
        calls++;
        for (ssize_t i = 0; i < n; i++) { /* the framing: a message ends at '\n' */
            if (line_bytes == 0) line_first_call = calls;
            line_bytes++;
            if (buf[i] == '\n') {
                printf("line %ld = %ld, recv() #%ld-#%ld\n", ++line, line_bytes, line_first_call, calls);
                line_bytes = 0;
            }
        }
        fflush(stdout);
    }
    if (n < 0) perror("recv");
    printf("recv() calls = %ld, lines = %ld\n", calls, line);
    close(fd); /* after the writer's FIN: our FIN */
    return 0;
}
