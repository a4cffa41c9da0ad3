// tcpviz: one executable, one subcommand per job. Each subcommand is a thin
// layer over a library function that the tests call directly.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include "analyze_command.h"
#include "capture_command.h"
#include "chat_command.h"
#include "command_error.h"
#include "demo_command.h"
#include "lab_command.h"
#include "replay_command.h"
#include "serve_command.h"
#include "site_command.h"
#include "tcpviz/utf8.h"

namespace {

// The subcommand the user was giving, to name it in a usage error.
std::string command_name(const CLI::App& app) {
    for (const CLI::App* sub : app.get_subcommands()) return sub->get_name();
    return "usage";
}

// A usage error found by CLI11 ("capture is required", "A subcommand is
// required"), on one line like every other error, with where to read more.
int usage_error(const CLI::App& app, const CLI::ParseError& e) {
    const std::string name = command_name(app);
    const std::string help = name == "usage" ? "tcpviz --help" : "tcpviz " + name + " --help";
    std::string reason = tcpviz::utf8::make_visible(e.what());  // it may quote an argument
    if (reason.empty()) reason = "bad command line";
    return tcpviz::fail(stderr, name, reason + " (see " + help + ")");
}

}  // namespace

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
    // Nothing escapes main: every failure ends in one line and exit 2, never
    // an abort with a core dump.
    try {
        app.parse(argc, argv);
    } catch (const CLI::RuntimeError& e) {
        return e.get_exit_code();  // a subcommand failed and has said why
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return usage_error(app, e);
    } catch (const std::bad_alloc&) {
        return tcpviz::fail(stderr, "tcpviz", "out of memory");
    } catch (const std::exception& e) {
        return tcpviz::fail(stderr, "tcpviz", std::string("internal error: ") + tcpviz::utf8::make_visible(e.what()));
    } catch (...) {
        return tcpviz::fail(stderr, "tcpviz", "internal error");
    }
    return 0;
}
