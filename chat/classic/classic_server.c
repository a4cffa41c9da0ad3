/* tcpviz-classic-server [PORT [ADDRESS]]: the course's one-to-one chat
 * server, done right. Waits for one client on ADDRESS:PORT (default
 * 0.0.0.0:6666; port 0 lets the kernel choose), then chats: stdin goes to
 * the client, what the client sends goes to stdout. Status on stderr. */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "classic_chat.h"

int main(int argc, char *argv[]) {
    int port = argc > 1 ? atoi(argv[1]) : 6666;
    const char *address = argc > 2 ? argv[2] : "0.0.0.0";

    struct sockaddr_in server_addr;
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;
    server_addr.sin_port = htons((unsigned short)port); /* htons: to network byte order (big-endian) */
    if (inet_pton(AF_INET, address, &server_addr.sin_addr) != 1) { /* "127.0.0.1" -> 4 bytes */
        fprintf(stderr, "usage: %s [PORT [IPV4-ADDRESS]]\n", argv[0]);
        return 2;
    }

    int listen_fd = socket(AF_INET, SOCK_STREAM, 0); /* a TCP socket; nothing on the wire yet */
    if (listen_fd < 0) {
        perror("socket");
        return 1;
    }
    /* Restart at once even if the last run's connection is in TIME_WAIT. */
    int on = 1;
    setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    /* bind(): claim the address and port. listen(): from now on the kernel
     * answers SYNs with SYN-ACK and queues completed handshakes for accept(). */
    if (bind(listen_fd, (struct sockaddr *)&server_addr, sizeof server_addr) < 0) {
        perror("bind");
        return 1;
    }
    if (listen(listen_fd, 1) < 0) {
        perror("listen");
        return 1;
    }
    socklen_t len = sizeof server_addr;
    getsockname(listen_fd, (struct sockaddr *)&server_addr, &len); /* the port, if the kernel chose it */
    fprintf(stderr, "listening on %s:%d\n", address, ntohs(server_addr.sin_port));

    /* accept(): the handshake is already done; this hands us the connection. */
    struct sockaddr_in client_addr;
    int fd;
    do {
        len = sizeof client_addr;
        fd = accept(listen_fd, (struct sockaddr *)&client_addr, &len);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        perror("accept");
        return 1;
    }
    close(listen_fd); /* one-to-one: take no one else (their SYNs now get an RST) */

    char peer[INET_ADDRSTRLEN]; /* inet_ntop, not inet_ntoa: no shared static buffer */
    inet_ntop(AF_INET, &client_addr.sin_addr, peer, sizeof peer);
    fprintf(stderr, "connected to %s:%d\n", peer, ntohs(client_addr.sin_port));

    int rc = chat(fd);
    close(fd); /* both FINs were exchanged already; this frees the socket */
    return rc == 0 ? 0 : 1;
}
