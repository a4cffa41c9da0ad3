/* The course's first chat, done right: the two threads.
 *
 * Compared with the course's version:
 *  - send() sends strlen(line) bytes, not the whole 1024-byte buffer (which
 *    put the stale rest of the buffer on the wire after every line);
 *  - recv() returns bytes, not a C string: we print exactly the n bytes it
 *    returned (the course's fputs() read on past them, to whatever '\0'
 *    happened to follow in the buffer);
 *  - send() may take fewer bytes than asked: send_all() loops;
 *  - recv() returning 0 ends the loop, a real error too, EINTR retries --
 *    the course's loop spun forever on an error;
 *  - MSG_NOSIGNAL: writing to a closed connection returns EPIPE instead of
 *    killing the process with SIGPIPE;
 *  - what the peer sends reaches the terminal with its control characters
 *    made visible: a raw ESC could clear our screen or retitle the window. */
#define _POSIX_C_SOURCE 200809L

#include "classic_chat.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

int send_all(int fd, const char *buf, size_t len) {
    while (len > 0) {
        /* send() copies bytes into the kernel's send buffer; TCP puts them on
         * the wire in segments of its own choosing. It may take only part. */
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue; /* a signal arrived first: try again */
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Whether the UTF-8 bytes at s (at most `left` of them) start a control
 * character the terminal would obey: C1 (U+0080..U+009F: C2 80..C2 9F) or a
 * bidirectional override (U+202A..U+202E: E2 80 AA..AE; U+2066..U+2069:
 * E2 81 A6..A9). Returns its length, or 0. */
static size_t hidden_control(const unsigned char *s, size_t left) {
    if (left >= 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) return 2;
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0xAA && s[2] <= 0xAE) return 3;
    if (left >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9) return 3;
    return 0;
}

/* Writes `len` bytes the peer sent, each control character as one '?'.
 * A character cut by the end of a recv() is not checked across the cut:
 * the server's own client (tcpviz chat client) does that; this stays short. */
static void print_visible(const char *buf, size_t len) {
    const unsigned char *s = (const unsigned char *)buf;
    for (size_t i = 0; i < len;) {
        size_t control = hidden_control(s + i, len - i);
        if (control == 0 && ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t') || s[i] == 0x7F)) control = 1;
        if (control > 0) {
            putchar('?');
            i += control;
        } else {
            putchar(s[i]);
            i += 1;
        }
    }
    fflush(stdout);
}

/* Socket -> stdout, until the peer's FIN. */
static void *reader(void *arg) {
    int fd = *(int *)arg;
    char buf[1024];
    for (;;) {
        /* recv() returns whatever bytes have arrived: part of a line, or
         * several lines. TCP is a byte stream; it keeps no message boundaries.
         * They are bytes, not a C string: no '\0' at the end, maybe some inside. */
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
            print_visible(buf, (size_t)n);
        } else if (n == 0) {
            fprintf(stderr, "the peer closed its side (FIN received)\n");
            break;
        } else if (errno != EINTR) {
            perror("recv");
            break;
        }
    }
    return NULL;
}

/* stdin -> socket, then our FIN. */
static void *writer(void *arg) {
    int fd = *(int *)arg;
    char line[1024];
    while (fgets(line, sizeof line, stdin) != NULL) {
        if (send_all(fd, line, strlen(line)) < 0) { /* the line's bytes, not sizeof line */
            perror("send");
            break;
        }
    }
    /* shutdown(SHUT_WR) sends our FIN: "nothing more from me". Unlike
     * close(), the socket stays open for reading, so the reader thread still
     * gets everything the peer sends until its own FIN. */
    shutdown(fd, SHUT_WR);
    fprintf(stderr, "end of input: sent FIN\n");
    return NULL;
}

int chat(int fd) {
    pthread_t read_thread, write_thread;
    if (pthread_create(&read_thread, NULL, reader, &fd) != 0) return -1;
    if (pthread_create(&write_thread, NULL, writer, &fd) != 0) {
        shutdown(fd, SHUT_RDWR); /* makes the reader's recv() return 0 */
        pthread_join(read_thread, NULL);
        return -1;
    }
    pthread_join(read_thread, NULL);
    pthread_join(write_thread, NULL);
    return 0;
}
