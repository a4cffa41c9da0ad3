// One live run of a lab: its network, its output directory, the capture
// running while the scenario's programs talk, and what the lab tells the
// student about how it built the path.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "process.h"
#include "tcpviz/lab/network.h"
#include "text.h"

namespace tcpviz::lab {

class Session {
public:
    Session(Lang lang, bool root, std::string out_dir, std::string stem, std::string cc);
    ~Session();

    Lang lang() const { return lang_; }
    bool root() const { return root_; }
    const std::string& cc() const { return cc_; }  // the congestion control to pin (--cc)
    Network& net() { return net_; }

    // Starts `tcpviz capture` on the path's capture interface for TCP port
    // `port`, sampling the kernel's TCP_INFO of that port, and waits until
    // it captures. The command is recorded with the set-up.
    void start_capture(const Path& path, int port);
    // Stops it (as Ctrl-C would) once the last segments had time to arrive.
    void stop_capture();

    // Lines for "how this lab made its path": the method used (netem, or the
    // fallback) and anything else worth knowing, in the lab's language.
    void note(const Text& text, const Vars& vars = {});
    const std::vector<std::string>& notes() const { return notes_; }

    const std::string& pcap() const { return pcap_; }
    const std::string& timeline() const { return timeline_; }
    const std::string& out_dir() const { return out_dir_; }

private:
    Lang lang_;
    bool root_;
    std::string out_dir_, pcap_, timeline_, log_, cc_;
    Network net_;
    Child capture_;
    std::vector<std::string> notes_;
};

// A random TCP port for a server on this host's loopback (a lab without root
// shares it with everything else); inside a private namespace any port is free.
int pick_port(bool private_namespace);

}  // namespace tcpviz::lab
