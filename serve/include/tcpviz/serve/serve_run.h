// `tcpviz serve` as a library function: the CLI parses options into a
// ServeRequest and calls run_serve(); tests call it too.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace tcpviz::serve {

struct ServeRequest {
    std::vector<std::string> inputs;  // captures or directories of them
    std::string bind = "127.0.0.1";
    int port = 8080;  // 0: any free port
    bool live = false;
    std::string interface;  // --live: default lo, or any with --chat
    // --chat: also run the chat server (on every address) and capture it
    // live: the classroom in one command. -1: no chat server.
    int chat_port = -1;
    std::string filter;  // BPF for --live (default: every TCP packet)
    bool open_browser = false;
    bool quiet = false;                        // no progress line
    std::uint64_t checkpoint_packets = 16384;  // tests set it small, to re-analyse from many checkpoints
    // Run on a thread of its own once the page is served and the live
    // capture has started, with the chat server's port (`tcpviz demo
    // --serve`: the scripted students). Serving goes on after it returns.
    std::function<void(std::uint16_t chat_port)> while_serving;
};

// Serves until SIGINT or SIGTERM. Returns the exit status (2 with one
// "tcpviz: error: WHAT: reason" line on `err` when it cannot start).
int run_serve(const ServeRequest& request, std::FILE* out, std::FILE* err);

}  // namespace tcpviz::serve
