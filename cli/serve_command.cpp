// `tcpviz serve`: options in, serve::run_serve() does the work (serve/).
#include "serve_command.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "tcpviz/serve/serve_run.h"

namespace tcpviz {

void add_serve_command(CLI::App& app) {
    auto request = std::make_shared<serve::ServeRequest>();
    CLI::App* cmd = app.add_subcommand(
        "serve", "Serve the page and a read-only API over captures (any size) and a live capture, to browsers");
    cmd->add_option("input", request->inputs, "capture files, or directories of them");
    cmd->add_option("-p,--port", request->port, "TCP port to listen on (0: any free port)")
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--bind", request->bind, "address to listen on; 0.0.0.0 lets other machines read the captures");
    cmd->add_flag("--live", request->live, "capture now and push each segment to the open pages");
    cmd->add_option("-i,--interface", request->interface, "--live: interface to capture on");
    cmd->add_option("--filter", request->filter, "--live: BPF filter, e.g. \"tcp port 6666\"");
    cmd->add_option("--chat", request->chat_port,
                    "also run the chat server on this port (every address) and capture it live: the classroom")
        ->check(CLI::Range(0, 65535));
    cmd->add_flag("--open", request->open_browser, "open the page in a browser");
    cmd->add_flag("-q,--quiet", request->quiet, "no progress line");
    cmd->add_option("--checkpoint-packets", request->checkpoint_packets,
                    "packets between the index's checkpoints (tests use small ones)")
        ->check(CLI::Range(1, 1 << 30))
        ->group("");  // hidden: for tests
    cmd->callback([request]() {
        const int code = serve::run_serve(*request, stdout, stderr);
        if (code != 0) throw CLI::RuntimeError(code);
    });

    // `tcpviz classroom`: `tcpviz serve --chat 6666` under the name a teacher looks for.
    auto room = std::make_shared<serve::ServeRequest>();
    room->chat_port = 6666;
    CLI::App* classroom = app.add_subcommand(
        "classroom", "The chat server, its live capture and the page in one command; prints what students type");
    classroom->add_option("--chat-port", room->chat_port, "the chat server's port")->check(CLI::Range(1, 65535));
    classroom->add_option("-p,--port", room->port, "the page's port")->check(CLI::Range(0, 65535));
    classroom->add_option("--bind", room->bind, "the page's address (students need only the chat port)");
    classroom->add_option("-i,--interface", room->interface, "interface to capture on (default: any)");
    classroom->add_flag("--open", room->open_browser, "open the page in a browser");
    classroom->callback([room]() {
        const int code = serve::run_serve(*room, stdout, stderr);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
