// The network a lab builds: namespaces joined by veth pairs, with addresses
// from 198.18.0.0/15 (the benchmarking range, never routed), a bottleneck
// (tbf) and delay (netem when the kernel has it), firewall rules that drop
// chosen segments, sysctls. Every change is run as a command and recorded,
// so the lab can print them as commands a student could type; everything is
// removed when the Network is destroyed (deleting a namespace removes its
// interfaces, qdiscs, firewall rules and sysctls with it).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace tcpviz::lab {

class Child;

// One end of the path: the namespace its programs run in ("" = this host),
// its address and interface.
struct Host {
    std::string netns;
    std::string address;
    std::string interface;
};

struct Path {
    Host client;
    Host server;
    Host router;  // only on a routed path
    // Where the capture runs: the client's side, so the segments it sends are
    // seen before anything on the path drops them.
    std::string capture_netns;
    std::string capture_interface;
    bool netem = false;       // delay made by netem (else: none, or the bottleneck's queue)
    bool delay_line = false;  // no netem: the delay made by a bridge in user space (delay_line.h)
};

struct Bottleneck {
    int rate_kbit = 10000;     // tbf rate on the router's way to the server
    int queue_bytes = 200000;  // tbf queue: its waiting time is the path's delay without netem
    int delay_ms = 20;         // netem delay on the way back, when netem exists
    // Without netem: the same delay made in user space, by a bridge in a
    // namespace between the client and the router (lab/src/delay_line.h).
    bool delay_without_netem = false;
};

class Network {
public:
    // `word` starts every name this run makes: "labs" (`tcpviz lab`) or
    // "demo" (`tcpviz demo`), so `ip netns list` says who made what.
    explicit Network(const std::string& word = "labs");
    ~Network();
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    // One namespace with only its loopback up: both programs run in it.
    // Without root: this host's loopback, nothing created.
    Path loopback(bool root);
    // Client and server namespaces joined by one veth pair: 198.18.0.1 and .2.
    Path pair();
    // Client - router - server: a bottleneck on the router's way to the
    // server, so losses there are the network's, not the sender's own queue.
    Path routed(const Bottleneck& bottleneck);

    // A command in a namespace ("" = this host): `ip netns exec NS ARGV...`.
    // Throws std::runtime_error with the command's own message on failure.
    void run(const std::string& netns, const std::vector<std::string>& argv);
    // Like run, but a failure is returned, not thrown, and not recorded.
    bool try_run(const std::string& netns, const std::vector<std::string>& argv);
    void sysctl(const std::string& netns, const std::string& key, const std::string& value);
    // One loss, placed precisely: drops the first segment arriving for TCP
    // `port` in `netns` whose bytes hold `marker`, once (its resend passes).
    void drop_once(const std::string& netns, int port, const std::string& marker);

    // Records a command run elsewhere (the capture) so it is printed with the rest.
    void record(const std::string& netns, const std::vector<std::string>& argv);
    // The commands run so far, as a student would type them.
    const std::vector<std::string>& commands() const { return commands_; }
    // A unique name for this run, e.g. "labs-4711-c".
    std::string name(const std::string& suffix) const;

private:
    std::string add_namespace(const std::string& suffix);
    void veth(const std::string& a_ns, const std::string& a_if, const std::string& b_ns, const std::string& b_if);
    bool netem_exists();
    // Client - delay line - router: the bridge's namespace between them.
    void delayed_link(const std::string& c, const std::string& r, int delay_ms);
    std::vector<std::string> namespaces_;
    std::unique_ptr<Child> delay_line_;  // stopped before the namespaces go
    std::vector<std::string> commands_;
    std::string word_;    // "labs" or "demo"
    std::string prefix_;  // word-PID
};

// Namespaces left by labs or demos that were killed (SIGKILL gives no chance
// to clean up): `labs-PID-*` and `demo-PID-*` whose PID is gone. Returns how
// many were removed.
int remove_stale_namespaces();

}  // namespace tcpviz::lab
