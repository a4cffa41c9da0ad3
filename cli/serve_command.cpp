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
    cmd->add_option("-p,--port", request->port, "TCP port to listen on (0: any free port)")->check(CLI::Range(0, 65535));
    cmd->add_option("--bind", request->bind, "address to listen on; 0.0.0.0 lets other machines read the captures");
    cmd->add_flag("--live", request->live, "capture now and push each segment to the open pages");
    cmd->add_option("-i,--interface", request->interface, "--live: interface to capture on");
    cmd->add_option("--filter", request->filter, "--live: BPF filter, e.g. \"tcp port 6666\"");
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
}

}  // namespace tcpviz
