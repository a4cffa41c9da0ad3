/* COUNTER-EXAMPLE, built only for the lab `tcpviz lab course-programs`.
 *
 * tcpviz-buggy-client [HOST [PORT]]: the course's first chat client, with
 * the course's mistakes kept on purpose (see buggy_chat.c). The client done
 * right is chat/classic/classic_client.c. Default 127.0.0.1 port 6666. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buggy_chat.h"

int main(int argc, char *argv[]) {
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    int port = argc > 2 ? atoi(argv[2]) : 6666;

    struct sockaddr_in server_addr;
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons((unsigned short)port); /* byte order: big-endian on the wire */
    if (inet_pton(AF_INET, host, &server_addr.sin_addr) !=
        1) { /* returns 1 on success, 0 if not an address */
        fprintf(stderr, "usage: %s [IPV4-ADDRESS [PORT]]\n", argv[0]);
        return 2;
    }

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    /* The course's client also bind()s port 8888 first. Not kept here, so
     * that the lab can run twice in a row: the first run's connection
     * would still hold port 8888 in TIME-WAIT and bind() would fail with
     * EADDRINUSE (the lesson on TIME-WAIT explains why). */
    if (connect(fd, (struct sockaddr *)&server_addr, sizeof server_addr) < 0) { /* SYN, SYN-ACK, ACK */
        perror("connect"); /* ECONNREFUSED: the SYN was answered by an RST */
        return 1;
    }
    fprintf(stderr, "connected to %s port %d\n", host, port);

    buggy_chat(fd);

    close(fd);
    return 0;
}
