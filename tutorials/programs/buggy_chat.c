/* COUNTER-EXAMPLE, built only for the lab `tcpviz lab course-programs`.
 *
 * The reader and writer threads of the course's first chat, with its four
 * mistakes kept ON PURPOSE. Each is marked "MISTAKE n" where it happens:
 *
 *   1. send() always sends the whole 1024-byte buffer, whatever the line's
 *      length: every message is one 1024-byte segment, padded with a NUL
 *      and then whatever the buffer held before (earlier, longer lines).
 *   2. the bytes recv() returns are printed as a C string without adding
 *      the '\0': fputs() runs on past them into older bytes.
 *   3. sizeof(char *) is used where a char buffer's size was meant.
 *   4. one recv() is taken as one message: TCP is a byte stream, and a
 *      recv() may hold part of a message, or several.
 *
 * chat/classic/classic_chat.c is the same program with all four fixed. */
#define _POSIX_C_SOURCE 200809L

#include "buggy_chat.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/types.h>

enum { buffer_size = 1024 }; /* the course's buffer size */

/* Socket -> stdout. */
static void *read_from_peer(void *arg) {
    int fd = *(int *)arg;
    /* calloc(buffer_size + 1): the extra byte is a zero no recv() ever
     * writes, so that MISTAKE 2 below stops at the end of this buffer. The
     * course's malloc(1024) has no such byte: fputs() would read on into
     * whatever memory follows (undefined behaviour, maybe a crash). */
    char *read_buf = calloc(buffer_size + 1, 1);
    if (read_buf == NULL) {
        perror("calloc");
        return NULL;
    }
    ssize_t cnt;
    /* MISTAKE 4: each recv() is treated as one whole message. A recv()
     * returns whatever bytes have arrived: part of a message, or several. */
    while ((cnt = recv(fd, read_buf, buffer_size, 0)) > 0) {
        /* For the lab only: how many bytes this recv() returned. */
        fprintf(stderr, "recv() = %zd\n", cnt);
        /* MISTAKE 2: read_buf[cnt] is not set to '\0'. fputs() prints up to
         * the first zero byte: if the peer sent no '\0', that is past the
         * cnt new bytes, into what older, longer messages left behind. */
        fputs(read_buf, stdout);
        fflush(stdout);
    }
    /* (The course's loop also went round forever when recv() failed: it
     * looped while cnt != 0, and -1 is not 0. Not kept: the lab must end.) */
    if (cnt < 0) perror("recv");
    fprintf(stderr, "the peer closed its side (recv() = 0)\n");
    free(read_buf);
    return NULL;
}

/* Stdin -> socket, then our FIN. */
static void *write_to_peer(void *arg) {
    int fd = *(int *)arg;
    /* MISTAKE 3: sizeof(char *) is the size of a pointer (8 bytes here),
     * not of a char (1). 8 * 1024 = 8192 bytes where 1024 were meant. The
     * program still runs -- the kind of bug no test notices until the
     * same mistake is made in a fgets(buf, sizeof buf, ...) on a pointer. */
    size_t write_size = sizeof(char *) * buffer_size;
    char *write_buf = malloc(write_size);
    if (write_buf == NULL) {
        perror("malloc");
        return NULL;
    }
    fprintf(stderr, "write buffer: sizeof(char *) * %d = %zu\n", buffer_size, write_size);
    /* fgets() writes the line and one '\0'; the rest of the buffer keeps
     * what the previous, longer lines left there. */
    while (fgets(write_buf, buffer_size, stdin) != NULL) {
        /* MISTAKE 1: 1024 bytes, not strlen(write_buf). The segment carries
         * the line, its '\0', and the stale rest of the buffer. */
        ssize_t sent = send(fd, write_buf, buffer_size, 0);
        if (sent < 0) perror("send");
        /* For the lab only: how many bytes this send() gave the kernel. */
        fprintf(stderr, "send() = %zd\n", sent);
    }
    /* End of input: send our FIN, keep reading the peer (this part the
     * course got right). */
    shutdown(fd, SHUT_WR);
    free(write_buf);
    return NULL;
}

void buggy_chat(int fd) {
    pthread_t reader, writer;
    pthread_create(&reader, NULL, read_from_peer, &fd);
    pthread_create(&writer, NULL, write_to_peer, &fd);
    pthread_join(reader, NULL);
    pthread_join(writer, NULL);
}
