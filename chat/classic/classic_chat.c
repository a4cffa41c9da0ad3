/* The course's first chat, done right: the two threads.
 *
 * Compared with the course's version:
 *  - send() sends strlen(line) bytes, not the whole 1024-byte buffer (which
 *    put the stale rest of the buffer on the wire after every line);
 *  - recv() leaves room for a '\0' and we add it: recv() returns bytes, not
 *    a C string, and fputs() needs one;
 *  - send() may take fewer bytes than asked: send_all() loops;
 *  - recv() returning 0 ends the loop, a real error too, EINTR retries --
 *    the course's loop spun forever on an error;
 *  - MSG_NOSIGNAL: writing to a closed connection returns EPIPE instead of
 *    killing the process with SIGPIPE. */
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

/* Socket -> stdout, until the peer's FIN. */
static void *reader(void *arg) {
    int fd = *(int *)arg;
    char buf[1024];
    for (;;) {
        /* recv() returns whatever bytes have arrived: part of a line, or
         * several lines. TCP is a byte stream; it keeps no message boundaries. */
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0); /* - 1: room for the '\0' */
        if (n > 0) {
            buf[n] = '\0'; /* (a NUL byte inside would still cut fputs() short) */
            fputs(buf, stdout);
            fflush(stdout);
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
