#pragma once

namespace CLI {
class App;
}

namespace tcpviz {

// `tcpviz serve [INPUT...]`: the page and a read-only API over captures, and a
// live capture; and `tcpviz classroom`, which is `serve --chat 6666`.
void add_serve_command(CLI::App& app);

}  // namespace tcpviz
