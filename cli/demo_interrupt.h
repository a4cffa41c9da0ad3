// Ctrl-C during `tcpviz demo`. The first signal lets the students finish (a
// few seconds on the usual demo), so the capture tells the whole story; a
// second one stops them at once. Either way the demo goes on to remove the
// namespaces it made and to write the files from what was captured, then
// exits 130 (interrupted).
#pragma once

namespace tcpviz {

// While alive: SIGINT, SIGTERM and SIGHUP are counted, not fatal. The first
// prints "finishing: Ctrl-C again stops now"; the second shuts the sockets
// of every StudentSocket alive (their clients' run() returns at once) and
// gives the signals back their usual meaning, so that a third one kills.
class DemoInterruptGuard {
public:
    DemoInterruptGuard();
    ~DemoInterruptGuard();
    DemoInterruptGuard(const DemoInterruptGuard&) = delete;
    DemoInterruptGuard& operator=(const DemoInterruptGuard&) = delete;
    static bool interrupted();  // one signal or more came
    static bool stopping();     // two: the students are being stopped
};

// While alive, a second signal shuts (shutdown(SHUT_RDWR)) this socket of a
// student. A socket registered after that second signal is shut at once.
class StudentSocket {
public:
    explicit StudentSocket(int fd);
    ~StudentSocket();
    StudentSocket(const StudentSocket&) = delete;
    StudentSocket& operator=(const StudentSocket&) = delete;

private:
    int slot_ = -1;
};

}  // namespace tcpviz
