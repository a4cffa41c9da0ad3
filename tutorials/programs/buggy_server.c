/* COUNTER-EXAMPLE, built only for the lab `tcpviz lab course-programs`.
 *
 * tcpviz-buggy-server [PORT]: the course's first chat server, in the
 * course's shape (socket, bind, listen, accept, two threads), with the
 * course's mistakes kept on purpose (see buggy_chat.c). The server done
 * right is chat/classic/classic_server.c. Default port 6666, as in the
 * course; 0 lets the kernel choose (the lab uses that). */
#define _DEFAULT_SOURCE /* inet_ntoa() */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buggy_chat.h"

int main(int argc, char *argv[]) {
    int port = argc > 1 ? atoi(argv[1]) : 6666;

    struct sockaddr_in server_addr, client_addr;
    memset(&server_addr, 0, sizeof server_addr);
    server_addr.sin_family = AF_INET;                   /* IPv4 */
    server_addr.sin_addr.s_addr = htonl(INADDR_ANY);    /* 0.0.0.0: every local address, in network order */
    server_addr.sin_port = htons((unsigned short)port); /* byte order: the port goes big-endian */

    int listen_fd = socket(AF_INET, SOCK_STREAM, 0); /* a TCP socket: nothing on the wire yet */
    if (listen_fd < 0) {
        perror("socket");
        return 1;
    }
    if (bind(listen_fd, (struct sockaddr *)&server_addr, sizeof server_addr) < 0) {
        perror("bind"); /* EADDRINUSE: a server already holds this port */
        return 1;
    }
    if (listen(listen_fd, 128) < 0) { /* from now on the kernel answers SYNs with SYN-ACKs */
        perror("listen");
        return 1;
    }
    socklen_t len = sizeof server_addr;
    getsockname(listen_fd, (struct sockaddr *)&server_addr,
                &len); /* for the lab: the port the kernel chose */
    fprintf(stderr, "listening on port %d\n", ntohs(server_addr.sin_port));
    fflush(stderr);

    len = sizeof client_addr;
    int client_fd = accept(listen_fd, (struct sockaddr *)&client_addr, &len); /* the handshake is done */
    if (client_fd < 0) {
        perror("accept");
        return 1;
    }
    /* inet_ntoa() returns a static buffer: fine once per call, wrong twice
     * in one printf (see tcpviz-addresses). ntohs(): the port back to host order. */
    fprintf(stderr, "connected: %s port %d\n", inet_ntoa(client_addr.sin_addr), ntohs(client_addr.sin_port));

    buggy_chat(client_fd);

    close(client_fd);
    close(listen_fd);
    return 0;
}
