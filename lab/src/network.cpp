#include "tcpviz/lab/network.h"

#include <signal.h>
#include <unistd.h>

#include <dirent.h>
#include <cerrno>
#include <csignal>
#include <stdexcept>

#include "delay_line.h"
#include "process.h"

namespace tcpviz::lab {
namespace {

// Segments as the wire carries them: without this, the sender's interface
// hands 64 KB "super-packets" to the capture (segmentation offload), and the
// ladder would not show one segment per MSS.
std::vector<std::string> no_offload(const std::string& interface) {
    return {"ip", "link", "set", "dev", interface, "gso_max_size", "1500", "gro_max_size", "1500"};
}

}  // namespace

Network::Network(const std::string& word) : word_(word), prefix_(word + "-" + std::to_string(::getpid())) {}

Network::~Network() {
    delay_line_.reset();
    for (auto it = namespaces_.rbegin(); it != namespaces_.rend(); ++it) {
        run_command({"ip", "netns", "del", *it});
    }
}

std::string Network::name(const std::string& suffix) const { return prefix_ + "-" + suffix; }

void Network::run(const std::string& netns, const std::vector<std::string>& argv) {
    std::vector<std::string> full;
    if (!netns.empty()) full = {"ip", "netns", "exec", netns};
    full.insert(full.end(), argv.begin(), argv.end());
    std::string output;
    const int status = run_command(full, &output);
    commands_.push_back(shell_line(full));
    if (status != 0) {
        while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
        const std::size_t newline = output.rfind('\n');
        if (newline != std::string::npos) output = output.substr(newline + 1);
        throw std::runtime_error(shell_line(full) + ": " + (output.empty() ? "failed" : output));
    }
}

void Network::record(const std::string& netns, const std::vector<std::string>& argv) {
    std::vector<std::string> full;
    if (!netns.empty()) full = {"ip", "netns", "exec", netns};
    full.insert(full.end(), argv.begin(), argv.end());
    commands_.push_back(shell_line(full));
}

bool Network::try_run(const std::string& netns, const std::vector<std::string>& argv) {
    std::vector<std::string> full;
    if (!netns.empty()) full = {"ip", "netns", "exec", netns};
    full.insert(full.end(), argv.begin(), argv.end());
    if (run_command(full) != 0) return false;
    commands_.push_back(shell_line(full));
    return true;
}

void Network::sysctl(const std::string& netns, const std::string& key, const std::string& value) {
    run(netns, {"sysctl", "-q", "-w", key + "=" + value});
}

void Network::drop_once(const std::string& netns, int port, const std::string& marker) {
    // The nth match counts only the segments that carried the marker; --packet 0 fires on the first.
    run(netns, {"iptables",  "-A",     "INPUT",    "-p",      "tcp",     "--dport",  std::to_string(port),
                "-m",        "string", "--string", marker,    "--algo",  "bm",       "-m",
                "statistic", "--mode", "nth",      "--every", "1000000", "--packet", "0",
                "-j",        "DROP"});
}

std::string Network::add_namespace(const std::string& suffix) {
    const std::string ns = name(suffix);
    std::vector<std::string> argv{"ip", "netns", "add", ns};
    std::string output;
    if (run_command(argv, &output) != 0) throw std::runtime_error(shell_line(argv) + ": " + output);
    commands_.push_back(shell_line(argv));
    namespaces_.push_back(ns);
    run(ns, {"ip", "link", "set", "dev", "lo", "up"});
    return ns;
}

void Network::veth(const std::string& a_ns, const std::string& a_if, const std::string& b_ns, const std::string& b_if) {
    run("", {"ip", "link", "add", a_if, "netns", a_ns, "type", "veth", "peer", "name", b_if, "netns", b_ns});
    run(a_ns, no_offload(a_if));
    run(b_ns, no_offload(b_if));
    run(a_ns, {"ip", "link", "set", "dev", a_if, "up"});
    run(b_ns, {"ip", "link", "set", "dev", b_if, "up"});
}

Path Network::loopback(bool root) {
    Path path;
    if (root) {
        const std::string ns = add_namespace("lo");
        path.client.netns = path.server.netns = path.capture_netns = ns;
        // Loopback's MTU is 64 KiB; an Ethernet-sized one shows segments as a network would.
        run(ns, {"ip", "link", "set", "dev", "lo", "mtu", "1500"});
    }
    path.client.address = path.server.address = "127.0.0.1";
    path.client.interface = path.server.interface = path.capture_interface = "lo";
    return path;
}

Path Network::pair() {
    Path path;
    path.client.netns = add_namespace("c");
    path.server.netns = add_namespace("s");
    const std::string c_if = word_ + std::to_string(::getpid()) + "c";
    const std::string s_if = word_ + std::to_string(::getpid()) + "s";
    veth(path.client.netns, c_if, path.server.netns, s_if);
    run(path.client.netns, {"ip", "addr", "add", "198.18.0.1/24", "dev", c_if});
    run(path.server.netns, {"ip", "addr", "add", "198.18.0.2/24", "dev", s_if});
    path.client = {path.client.netns, "198.18.0.1", c_if};
    path.server = {path.server.netns, "198.18.0.2", s_if};
    path.capture_netns = path.client.netns;
    path.capture_interface = c_if;
    return path;
}

bool Network::netem_exists() {
    // Asked on a namespace's own loopback, so nothing is left to undo on the path.
    // The probe is no part of the path: what add_namespace records of it is
    // forgotten again, however many commands that is.
    const std::size_t commands_before = commands_.size(), namespaces_before = namespaces_.size();
    const std::string probe = add_namespace("probe");
    const bool exists = run_command({"ip", "netns", "exec", probe, "tc", "qdisc", "add", "dev", "lo", "root", "netem",
                                     "delay", "1ms"}) == 0;
    commands_.resize(commands_before);
    // A probe that could not be deleted stays listed, so that the
    // destructor tries again.
    if (run_command({"ip", "netns", "del", probe}) == 0) namespaces_.resize(namespaces_before);
    return exists;
}

void Network::delayed_link(const std::string& c, const std::string& r, int delay_ms) {
    const std::string d = add_namespace("d"), id = word_ + std::to_string(::getpid());
    veth(c, id + "c", d, id + "dc");
    veth(d, id + "dr", r, id + "rc");
    // The bridge passes frames addressed to the machines on either side; its
    // own interfaces take no part (no address, no IPv6 chatter).
    sysctl(d, "net.ipv6.conf.all.disable_ipv6", "1");
    const DelayLine line{id + "dc", id + "dr", 0, delay_ms};
    delay_line_ = std::make_unique<Child>(spawn_in(d, [line](const ReadyFn&) {
        // Ctrl-C is for the lab, which then unwinds: the path must carry the
        // last segments until it is removed (SIGKILL, or the lab's death).
        std::signal(SIGINT, SIG_IGN);
        std::signal(SIGTERM, SIG_IGN);
        std::signal(SIGHUP, SIG_IGN);
        return run_delay_line(line);
    }));
    commands_.push_back("# no netem: tcpviz holds every frame from " + id + "dr to " + id + "dc for " +
                        std::to_string(delay_ms) + " ms (a bridge in user space, in " + d + ")");
}

Path Network::routed(const Bottleneck& b) {
    Path path;
    const bool line = b.delay_without_netem && !netem_exists();
    const std::string c = add_namespace("c"), r = add_namespace("r"), s = add_namespace("s");
    const std::string id = word_ + std::to_string(::getpid());
    if (line) {
        delayed_link(c, r, b.delay_ms);
    } else {
        veth(c, id + "c", r, id + "rc");
    }
    veth(r, id + "rs", s, id + "s");
    run(c, {"ip", "addr", "add", "198.18.0.1/24", "dev", id + "c"});
    run(r, {"ip", "addr", "add", "198.18.0.254/24", "dev", id + "rc"});
    run(r, {"ip", "addr", "add", "198.18.1.254/24", "dev", id + "rs"});
    run(s, {"ip", "addr", "add", "198.18.1.1/24", "dev", id + "s"});
    run(c, {"ip", "route", "add", "default", "via", "198.18.0.254"});
    run(s, {"ip", "route", "add", "default", "via", "198.18.1.254"});
    sysctl(r, "net.ipv4.ip_forward", "1");
    // The bottleneck: a token bucket at rate_kbit whose queue holds queue_bytes.
    run(r, {"tc", "qdisc", "add", "dev", id + "rs", "root", "tbf", "rate", std::to_string(b.rate_kbit) + "kbit",
            "burst", "3000", "limit", std::to_string(b.queue_bytes)});
    // Delay on the way back (the ACKs), with netem when this kernel has it.
    if (!line) {
        path.netem = try_run(
            r, {"tc", "qdisc", "add", "dev", id + "rc", "root", "netem", "delay", std::to_string(b.delay_ms) + "ms"});
    }
    path.delay_line = line;
    path.client = {c, "198.18.0.1", id + "c"};
    path.router = {r, "198.18.0.254", id + "rc"};
    path.server = {s, "198.18.1.1", id + "s"};
    path.capture_netns = c;
    path.capture_interface = id + "c";
    return path;
}

int remove_stale_namespaces() {
    int removed = 0;
    DIR* dir = ::opendir("/run/netns");
    if (dir == nullptr) return 0;
    std::vector<std::string> stale;
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.rfind("labs-", 0) != 0 && name.rfind("demo-", 0) != 0) continue;
        const long pid = std::strtol(name.c_str() + 5, nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) stale.push_back(name);
    }
    ::closedir(dir);
    for (const std::string& name : stale) {
        if (run_command({"ip", "netns", "del", name}) == 0) ++removed;
    }
    return removed;
}

}  // namespace tcpviz::lab
