/* COUNTER-EXAMPLE, built only for the lab `tcpviz lab course-programs`.
 *
 * The two threads of the course's first chat program, written again with
 * the course's four mistakes kept on purpose, so that a capture can show
 * what each one does. Do not copy this code: chat/classic/ is the same
 * program done right. */
#ifndef TCPVIZ_BUGGY_CHAT_H
#define TCPVIZ_BUGGY_CHAT_H

/* Runs the reader thread (socket -> stdout) and the writer thread
 * (stdin -> socket) on connected socket `fd`; returns when both end. */
void buggy_chat(int fd);

#endif
