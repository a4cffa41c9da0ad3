// Processes a lab starts: set-up commands (ip, tc, iptables, sysctl), the
// capture (this tcpviz, `capture` subcommand) and the peers, each run in a
// network namespace. Ctrl-C and SIGTERM only set a flag here; every wait
// checks it and throws Interrupted, so the lab unwinds and its destructors
// remove what it made.
#pragma once

#include <sys/types.h>

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tcpviz::lab {

struct Interrupted : std::runtime_error {
    Interrupted() : std::runtime_error("interrupted") {}
};

// While alive, SIGINT/SIGTERM/SIGHUP set the flag instead of killing the lab.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
};
bool interrupted();
void throw_if_interrupted();
// Sleeps, waking early (and throwing) on Ctrl-C.
void pause_for(double seconds);

// The path of this executable, to run `tcpviz capture` and `tcpviz analyze`.
std::string self_exe();

// Runs a command to completion; its exit status (127 when it cannot start).
// Its standard output and error go to `output` when given, else nowhere.
int run_command(const std::vector<std::string>& argv, std::string* output = nullptr);

// A child process; killed (SIGKILL) and reaped when destroyed if still running.
class Child {
public:
    Child() = default;
    Child(pid_t pid, int ready_fd) : pid_(pid), ready_fd_(ready_fd) {}
    Child(Child&& other) noexcept;
    Child& operator=(Child&& other) noexcept;
    ~Child();

    pid_t pid() const { return pid_; }
    bool running() const { return pid_ > 0; }
    // Waits for the child's first line on its ready pipe (a peer writes it
    // once listening, e.g. its port); throws std::runtime_error on timeout.
    std::string wait_ready(double timeout_seconds);
    // Waits for it to end; its exit status, or -1 after the timeout (it runs on).
    int wait(double timeout_seconds);
    void signal(int sig);
    // SIGKILL and reap.
    void kill();

private:
    pid_t pid_ = -1;
    int ready_fd_ = -1;
    int status_ = -1;
};

// Forks; the child enters network namespace `netns` (none when empty) and
// runs `body`, whose return value is its exit status. `ready(line)` writes
// the line the parent's wait_ready() returns.
using ReadyFn = std::function<void(const std::string&)>;
Child spawn_in(const std::string& netns, const std::function<int(const ReadyFn& ready)>& body);

// Forks and execs `argv` in namespace `netns`, output to `log` (appended).
Child exec_in(const std::string& netns, const std::vector<std::string>& argv, const std::string& log);

// A shell-style line for a command, to print as one a student could type.
std::string shell_line(const std::vector<std::string>& argv);

}  // namespace tcpviz::lab
