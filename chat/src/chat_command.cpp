#include "tcpviz/chat_command.h"

#include <CLI/CLI.hpp>

namespace tcpviz {
void add_chat_command(CLI::App& app) {
    app.add_subcommand("chat", "A chat room over real TCP sockets (not built yet)");
}
}  // namespace tcpviz
