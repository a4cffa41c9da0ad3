/* tcpviz-unix-server PATH: the classic chat server (chat/classic/) over
 * AF_UNIX instead of AF_INET, for the lesson on address families and the
 * lab `tcpviz lab unix-socket`.
 *
 * Only the address changes: a file system path in a sockaddr_un instead of
 * an IP address and port in a sockaddr_in. The two chat threads are the
 * very same code (classic_chat.c). The bytes never reach IP or any network
 * interface: the kernel copies them from one socket to the other, so a
 * capture on any interface, loopback included, sees nothing. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "classic_chat.h"

int main(int argc, char *argv[]) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX; /* local to this machine: the address is a path */
    if (argc != 2 || strlen(argv[1]) >= sizeof addr.sun_path) { /* sun_path holds 108 bytes */
        fprintf(stderr, "usage: %s PATH (shorter than %zu bytes)\n", argv[0], sizeof addr.sun_path);
        return 2;
    }
    strcpy(addr.sun_path, argv[1]);

    int listen_fd = socket(AF_UNIX, SOCK_STREAM, 0); /* SOCK_STREAM: a byte stream, as with TCP */
    if (listen_fd < 0) {
        perror("socket");
        return 1;
    }
    /* bind() creates the path as a socket file. It fails with EADDRINUSE if
     * the file exists -- even left over from an earlier run -- so the
     * server removes it first (AF_UNIX has no TIME-WAIT; the file is all). */
    unlink(addr.sun_path);
    if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listen_fd, 1) < 0) {
        perror("bind/listen");
        return 1;
    }
    fprintf(stderr, "listening on %s\n", addr.sun_path);
    fflush(stderr);

    int fd = accept(listen_fd, NULL, NULL); /* no handshake on any wire: the kernel links the two sockets */
    if (fd < 0) {
        perror("accept");
        return 1;
    }
    close(listen_fd);
    unlink(addr.sun_path); /* nobody else may connect: remove the name */
    fprintf(stderr, "connected\n");

    int rc = chat(fd); /* the same two threads as the TCP version */
    close(fd);
    return rc == 0 ? 0 : 1;
}
