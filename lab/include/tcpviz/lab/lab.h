// `tcpviz lab`: a scenario builds a small network, runs real programs over it,
// captures what they send, and asks and answers questions from the packets.
// The library behind the thin `tcpviz lab` subcommand (cli/lab_command.cpp).
#pragma once

#include <cstdio>
#include <functional>
#include <string>

namespace tcpviz::lab {

struct LabRequest {
    std::string scenario;     // a name from --list
    bool list = false;        // print the scenarios, one a line
    std::string out_dir;      // where pcap + timeline go; empty: a new directory under $TMPDIR
    bool html = false;        // also write a self-contained HTML report
    std::string lang = "en";  // en | zh: every line the lab prints
    bool pause = false;       // wait for Enter before each answer
    bool quiz = false;        // ask the student to predict each number first
    std::string capture;      // a student's capture: the same questions, no network
    std::string cc = "reno";  // congestion control pinned on the sender's socket
};

// Writes a self-contained HTML report of the timeline file; false with
// `error` set when it cannot. The CLI passes cli/html_report's writer, so
// this library does not depend on the CLI.
using HtmlWriter = std::function<bool(const std::string& timeline, const std::string& html, std::string& error)>;

// Runs the request. Returns the exit status: 0 when the lab showed its
// phenomenon, 1 when it ran but the phenomenon did not appear, 2 on an error
// (one line "tcpviz: error: WHAT: reason" on `err`). Questions and answers go
// to `out`; --quiz and --pause read `in`.
int run_lab(const LabRequest& request, const HtmlWriter& html, std::FILE* out, std::FILE* err, std::FILE* in);

}  // namespace tcpviz::lab
