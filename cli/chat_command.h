// `tcpviz chat server|client`: registers the chat subcommands.
#pragma once

namespace CLI {
class App;
}

namespace tcpviz {
void add_chat_command(CLI::App& app);
}
