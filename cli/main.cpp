// tcpviz: one executable, one subcommand per job. Each subcommand is a thin
// layer over a library function that the tests call directly.
#include <CLI/CLI.hpp>

#include "analyze_command.h"
#include "replay_command.h"
#include "site_command.h"
#include "demo_command.h"
#include "capture_command.h"
#include "lab_command.h"
#include "serve_command.h"
#include "chat_command.h"

int main(int argc, char** argv) {
    CLI::App app{"tcpviz: see TCP at work. Decode captures into timelines, chat over real sockets, replay sessions."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "tcpviz 0.1.0");
    tcpviz::add_analyze_command(app);
    tcpviz::add_replay_command(app);
    tcpviz::add_site_command(app);
    tcpviz::add_demo_command(app);
    tcpviz::add_chat_command(app);
    tcpviz::add_capture_command(app);
    tcpviz::add_lab_command(app);
    tcpviz::add_serve_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::RuntimeError& e) {
        return e.get_exit_code();
    } catch (const CLI::ParseError& e) {
        // Usage errors: CLI11 prints the message; make the exit code 2 like other errors.
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    return 0;
}
