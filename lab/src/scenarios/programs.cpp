#include "programs.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tcpviz/packet.h"
#include "tcpviz/pcap_file.h"

namespace tcpviz::lab {

std::string tutorial_program(const std::string& name) {
    const std::string exe = self_exe();
    const std::string path = exe.substr(0, exe.rfind('/') + 1) + name;
    if (::access(path.c_str(), X_OK) != 0) {
        throw std::runtime_error(path + " not found: build it with `cmake --build build --target tutorial_programs`");
    }
    return path;
}

std::string sh_quote(const std::string& text) {
    if (!text.empty() &&
        text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=,+") ==
            std::string::npos) {
        return text;  // nothing the shell would change
    }
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

Child start_shell(Session& s, const std::string& netns, const std::string& line, const std::string& log) {
    // Shown with the programs' short names, as after `cd build`.
    const std::string exe = self_exe();
    const std::string dir = exe.substr(0, exe.rfind('/') + 1);
    std::string shown = line;
    for (std::size_t at; (at = shown.find(dir)) != std::string::npos;) shown.erase(at, dir.size());
    s.net().record(netns, {"sh", "-c", shown});
    return exec_in(netns, {"sh", "-c", line}, log);
}

int finish(Child& child, double timeout_s, const char* what) {
    const int status = child.wait(timeout_s);
    if (status < 0) throw std::runtime_error(std::string(what) + " did not end in time");
    return status;
}

void segments_as_on_a_wire(Session& s, const std::string& netns) {
    if (netns.empty()) return;  // this host's loopback: not ours to change
    s.net().run(netns, {"ip", "link", "set", "dev", "lo", "gso_max_size", "1500", "gro_max_size", "1500"});
}

Child start_unfiltered_capture(Session& s, const std::string& netns, const std::string& interface) {
    const std::vector<std::string> args{"capture", "-i",         interface,    "--filter",    "", "-w",
                                        s.pcap(),  "--timeline", s.timeline(), "--sample-ms", "0"};
    std::vector<std::string> argv{self_exe()}, shown{"tcpviz"};
    argv.insert(argv.end(), args.begin(), args.end());
    shown.insert(shown.end(), args.begin(), args.end());
    const std::string log = s.pcap() + ".log";
    std::remove(log.c_str());
    Child capture = exec_in(netns, argv, log);
    s.net().record(netns, shown);
    for (int i = 0; i < 500; ++i) {
        pause_for(0.02);
        const std::string text = read_text(log);
        if (text.find("capturing on") != std::string::npos) {
            pause_for(0.1);
            return capture;
        }
        if (capture.wait(0) >= 0) throw std::runtime_error("tcpviz capture ended at once: " + text);
    }
    throw std::runtime_error("tcpviz capture did not start within 10 s");
}

void stop_unfiltered_capture(Child& capture) {
    pause_for(0.3);
    capture.signal(SIGINT);
    if (capture.wait(20) != 0) throw std::runtime_error("tcpviz capture did not stop cleanly");
}

std::string run_and_show(Session& s, const std::string& netns, const std::vector<std::string>& argv) {
    std::vector<std::string> full;
    if (!netns.empty()) full = {"ip", "netns", "exec", netns};
    full.insert(full.end(), argv.begin(), argv.end());
    std::string output;
    run_command(full, &output);
    s.net().record(netns, argv);
    return output;
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool wait_for_file(const std::string& path, double timeout_s) {
    for (double waited = 0; waited < timeout_s; waited += 0.02) {
        if (::access(path.c_str(), F_OK) == 0) return true;
        pause_for(0.02);
    }
    return false;
}

std::vector<Call> parse_calls(const std::string& text, std::string_view name) {
    std::vector<Call> calls;
    std::istringstream lines(text);
    std::string line;
    const std::string needle = " " + std::string(name) + " = ";
    while (std::getline(lines, line)) {
        const std::size_t at = line.find(needle);
        if (line.rfind("t=", 0) != 0 || at == std::string::npos) continue;
        Call c;
        c.t = std::stod(line.substr(2, at - 2));
        c.bytes = std::stoll(line.substr(at + needle.size()));
        calls.push_back(c);
    }
    return calls;
}

std::string visible(std::string_view bytes, std::size_t max) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < bytes.size() && i < max; ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b == 0) out += "\\0";
        else if (b == '\n') out += "\\n";
        else if (b == '\\') out += "\\\\";
        else if (b >= 0x20 && b < 0x7f) out += static_cast<char>(b);
        else out += std::string("\\x") + hex[b >> 4] + hex[b & 15];
    }
    if (bytes.size() > max) out += "…";
    return out;
}

std::string output_line(const std::string& text, const std::string& expression) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind(expression + " = ", 0) == 0) return line;
    }
    return "";
}

std::string value_in(const std::string& line) {
    const std::size_t eq = line.find(" = ");
    if (eq == std::string::npos) return "";
    const std::size_t end = line.find(" [", eq);
    return line.substr(eq + 3, end == std::string::npos ? std::string::npos : end - eq - 3);
}

std::string bytes_in(const std::string& line) {
    const std::size_t open = line.rfind('[');
    const std::size_t close = line.rfind(']');
    if (open == std::string::npos || close == std::string::npos || close < open) return "";
    return line.substr(open + 1, close - open - 1);
}

std::string artifact_path(const Session& s, const std::string& name) { return s.out_dir() + "/" + name; }

namespace {
std::string beside_source(const Timeline& t, const std::string& name) {
    const std::string source = t.source();
    const std::size_t slash = source.rfind('/');
    return (slash == std::string::npos ? std::string(".") : source.substr(0, slash)) + "/" + name;
}
}  // namespace

std::string artifact(const Timeline& t, const std::string& name) { return read_text(beside_source(t, name)); }

bool has_artifact(const Timeline& t, const std::string& name) {
    return !t.source().empty() && ::access(beside_source(t, name).c_str(), R_OK) == 0;
}

std::vector<RawFrame> read_frames(const std::string& pcap, std::string& error) {
    std::vector<RawFrame> frames;
    auto file = PcapFile::open(pcap, error);
    if (!file) return frames;
    PacketRecord record;
    std::string message;
    for (long long n = 1; file->next(record, message) == PcapFile::Status::packet; ++n) {
        RawFrame f;
        f.number = n;
        f.time = static_cast<double>(record.ts_sec) + record.ts_nsec / 1e9;
        f.link_type = file->link_type();
        f.bytes.assign(reinterpret_cast<const char*>(record.data.data()), record.data.size());
        const DecodedPacket p = decode_packet(f.link_type, record);
        f.link_header = p.link.header_length;
        f.tcp = p.kind == PacketKind::tcp;
        if (f.tcp) f.tcp_offset = f.link_header + p.ip.header_length;
        frames.push_back(std::move(f));
    }
    return frames;
}

std::string hex_bytes(std::string_view bytes) {
    std::string out;
    char two[4];
    for (unsigned char b : bytes) {
        std::snprintf(two, sizeof two, "%02x", b);
        if (!out.empty()) out += ' ';
        out += two;
    }
    return out;
}

std::string preview_bytes(const std::string& preview) {
    std::string out;
    for (std::size_t i = 0; i < preview.size(); ++i) {
        if (preview[i] != '\\' || i + 1 >= preview.size()) {
            out += preview[i];
            continue;
        }
        const char c = preview[++i];
        if (c == 'n') out += '\n';
        else if (c == 'r') out += '\r';
        else if (c == 't') out += '\t';
        else if (c == 'x' && i + 2 < preview.size()) {  // \xNN: two hex digits follow
            out += static_cast<char>(std::stoi(preview.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else out += c;
    }
    return out;
}

}  // namespace tcpviz::lab
