// `tcpviz lab`: the thin CLI over lab/ (tcpviz::lab::run_lab).
#pragma once

namespace CLI {
class App;
}

namespace tcpviz {

void add_lab_command(CLI::App& app);

}  // namespace tcpviz
