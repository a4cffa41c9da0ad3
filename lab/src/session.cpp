#include "session.h"

#include <csignal>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace tcpviz::lab {

Session::Session(Lang lang, bool root, std::string out_dir, std::string stem, std::string cc)
    : lang_(lang),
      root_(root),
      out_dir_(std::move(out_dir)),
      pcap_(out_dir_ + "/" + stem + ".pcap"),
      timeline_(out_dir_ + "/" + stem + ".json"),
      log_(out_dir_ + "/" + stem + ".capture.log"),
      cc_(std::move(cc)) {}

Session::~Session() { capture_.kill(); }

void Session::start_capture(const Path& path, int port) {
    const std::string p = std::to_string(port);
    // A short snaplen: the headers are what a lab reads, and a bulk transfer stays small on disk.
    std::vector<std::string> args{
        "capture",   "-i",  path.capture_interface, "--filter", "tcp port " + p, "-w", pcap_, "--timeline", timeline_,
        "--snaplen", "200", "--sample-port",        p};
    std::vector<std::string> shown{"tcpviz"};
    shown.insert(shown.end(), args.begin(), args.end());
    std::vector<std::string> argv{self_exe()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::ofstream(log_, std::ios::trunc).close();
    capture_ = exec_in(path.capture_netns, argv, log_);
    net_.record(path.capture_netns, shown);
    // The capture says "capturing on" once libpcap and the sampler are open.
    for (int i = 0; i < 1000; ++i) {
        pause_for(0.01);
        std::ifstream in(log_);
        std::stringstream text;
        text << in.rdbuf();
        if (text.str().find("capturing on") != std::string::npos) {
            pause_for(0.1);
            return;
        }
        if (capture_.wait(0) >= 0) throw std::runtime_error("tcpviz capture ended at once: " + text.str());
    }
    throw std::runtime_error("tcpviz capture did not start within 10 s");
}

void Session::stop_capture() {
    pause_for(0.3);  // the last ACKs
    capture_.signal(SIGINT);
    const int status = capture_.wait(20);
    if (status != 0) {
        std::ifstream in(log_);
        std::stringstream text;
        text << in.rdbuf();
        throw std::runtime_error("tcpviz capture failed (" + std::to_string(status) + "): " + text.str());
    }
}

void Session::note(const Text& text, const Vars& vars) { notes_.push_back(fill(text, lang_, vars)); }

int pick_port(bool private_namespace) {
    if (private_namespace) return 5001;
    std::random_device seed;
    std::uniform_int_distribution<int> port(20000, 32000);
    return port(seed);
}

}  // namespace tcpviz::lab
