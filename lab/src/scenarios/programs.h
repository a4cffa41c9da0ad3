// What the course labs share: running the small C programs of
// tutorials/programs/ (built next to tcpviz) under a shell, as a student
// would type them; reading what they printed; and reading the raw bytes of
// captured frames, for the labs about bytes (byte order, what AF_PACKET sees).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "../process.h"
#include "../session.h"
#include "../text.h"
#include "../timeline.h"

namespace tcpviz::lab {

// The path of a program built next to this tcpviz (e.g. "tcpviz-byte-order");
// throws with the build command when it is missing.
std::string tutorial_program(const std::string& name);

// Quoted for sh when it needs to be, whatever the text holds.
std::string sh_quote(const std::string& text);

// Starts `sh -c LINE` in namespace `netns`, recorded with the lab's set-up
// so the student sees the command; its own output goes to `log`.
Child start_shell(Session& s, const std::string& netns, const std::string& line, const std::string& log);
// Waits for a started shell; throws when it does not end within `timeout_s`.
int finish(Child& child, double timeout_s, const char* what);

// In a lab's own namespace, loopback hands the capture segments no bigger
// than an Ethernet frame (no 64 KB offload "super-packets"), as a wire would.
void segments_as_on_a_wire(Session& s, const std::string& netns);

// `tcpviz capture` with no filter at all, into the session's pcap and
// timeline: every frame of `interface` in `netns`, as AF_PACKET delivers it
// (Session::start_capture keeps one TCP port only). Waits until it captures.
Child start_unfiltered_capture(Session& s, const std::string& netns, const std::string& interface);
// Stops it as Ctrl-C would, once the last frames had time to arrive.
void stop_unfiltered_capture(Child& capture);

// A command's output, run in `netns` and recorded with the set-up.
std::string run_and_show(Session& s, const std::string& netns, const std::vector<std::string>& argv);

std::string read_text(const std::string& path);  // "" when it cannot be read
bool wait_for_file(const std::string& path, double timeout_s);

// One logged call of the boundary programs: `t=SECONDS NAME = BYTES`.
struct Call {
    double t = 0;
    long long bytes = 0;
};
std::vector<Call> parse_calls(const std::string& text, std::string_view name);

// Bytes as text a terminal can show: printable ASCII as it is, "\0" for a
// NUL, "\n" for a newline, "\xNN" for anything else; at most `max` bytes,
// then "…".
std::string visible(std::string_view bytes, std::size_t max = 120);

// The programs' output is lines `EXPRESSION = VALUE [BYTES]`: the line that
// starts with `expression`, its value (between " = " and " [") and the bytes
// in brackets; "" when there is no such line.
std::string output_line(const std::string& text, const std::string& expression);
std::string value_in(const std::string& line);
std::string bytes_in(const std::string& line);

// What the programs of a live run printed is kept in files beside its
// capture (the --out directory), named "SCENARIO.WHAT". The questions find
// them again through the timeline's source, so they answer the same on
// `--capture` of the lab's own timeline, and say they cannot on a capture
// made some other way.
std::string artifact_path(const Session& s, const std::string& name);
std::string artifact(const Timeline& t, const std::string& name);  // "" when there is none
bool has_artifact(const Timeline& t, const std::string& name);

// One frame of a capture file, raw.
struct RawFrame {
    long long number = 0;
    double time = 0;  // seconds since 1970, as captured
    int link_type = 0;
    std::size_t link_header = 0;  // bytes before the IP header
    bool tcp = false;
    std::size_t tcp_offset = 0;  // where the TCP header starts (when tcp)
    std::string bytes;           // as captured
};
// Every frame of `pcap`; `error` set (and nothing returned) when it cannot be read.
std::vector<RawFrame> read_frames(const std::string& pcap, std::string& error);
std::string hex_bytes(std::string_view bytes);  // "1a 0a"

// The bytes a timeline's payload preview stands for (it writes \n, \r, \t,
// \\ and \xNN for bytes that are not printable text).
std::string preview_bytes(const std::string& preview);

// Reasons shared by the course labs, in both languages.
namespace why {
inline constexpr Text no_program_output{"it needs what the lab's programs printed, and only a live run has that",
                                        "这需要实验程序打印的输出，只有现场运行的实验才有"};
}  // namespace why

}  // namespace tcpviz::lab
