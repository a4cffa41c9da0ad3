/* tcpviz-classic-client [HOST [PORT]]: the course's one-to-one chat client,
 * done right. Connects to HOST:PORT (default 127.0.0.1:6666, IPv4), then
 * chats: stdin goes to the server, what it sends goes to stdout. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "classic_chat.h"

int main(int argc, char *argv[]) {
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    int port = argc > 2 ? atoi(argv[2]) : 6666;

    struct sockaddr_in server_addr;
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons((unsigned short)port); /* htons: to network byte order */
    if (inet_pton(AF_INET, host, &server_addr.sin_addr) != 1) {
        fprintf(stderr, "usage: %s [IPV4-ADDRESS [PORT]]\n", argv[0]);
        return 2;
    }

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    /* No bind(): connect() gives us a free ephemeral port. (Binding a fixed
     * port, 8888 in the course, breaks a second client and quick restarts.)
     * connect() sends the SYN and returns when the SYN-ACK has arrived and
     * our ACK is sent. We install no signal handlers, so it cannot fail
     * with EINTR. */
    if (connect(fd, (struct sockaddr *)&server_addr, sizeof server_addr) < 0) {
        perror("connect");
        return 1;
    }
    fprintf(stderr, "connected to %s:%d\n", host, port);

    int rc = chat(fd);
    close(fd);
    return rc == 0 ? 0 : 1;
}
