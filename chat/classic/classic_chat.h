/* The part the one-to-one server and client share: once connected, one
 * thread copies the socket to stdout, another copies stdin to the socket. */
#ifndef TCPVIZ_CLASSIC_CHAT_H
#define TCPVIZ_CLASSIC_CHAT_H

#include <stddef.h>

/* send() until all `len` bytes are gone; 0 on success, -1 (errno set) on error. */
int send_all(int fd, const char *buf, size_t len);

/* Runs the reader and writer threads on connected socket `fd` and returns
 * when both are done: the peer sent its FIN and our stdin ended. 0 if both
 * threads started. */
int chat(int fd);

#endif
