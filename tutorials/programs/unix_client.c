/* tcpviz-unix-client PATH: the classic chat client (chat/classic/) over
 * AF_UNIX, for the lab `tcpviz lab unix-socket`. See unix_server.c. */
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
    addr.sun_family = AF_UNIX;
    if (argc != 2 || strlen(argv[1]) >= sizeof addr.sun_path) {
        fprintf(stderr, "usage: %s PATH (shorter than %zu bytes)\n", argv[0], sizeof addr.sun_path);
        return 2;
    }
    strcpy(addr.sun_path, argv[1]);

    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    /* connect() to a path: no SYN, no port. ENOENT if no such file,
     * ECONNREFUSED if the file exists but nobody listens on it. */
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("connect");
        return 1;
    }
    fprintf(stderr, "connected to %s\n", addr.sun_path);

    int rc = chat(fd);
    close(fd);
    return rc == 0 ? 0 : 1;
}
