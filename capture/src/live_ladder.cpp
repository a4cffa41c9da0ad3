#include "tcpviz/live_ladder.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "tcpviz/ladder_row.h"

namespace tcpviz {

void LiveLadder::write(const std::string& text) {
    const bool written = std::fwrite(text.data(), 1, text.size(), out_) == text.size();
    if (!written || std::fflush(out_) != 0) {
        throw std::runtime_error(std::string("cannot write the ladder: ") + std::strerror(errno));
    }
}

void LiveLadder::event(const Event& e, const Analyzer& analyzer) {
    // Connection ids are given in order of first appearance, so a new id is
    // always the next one.
    if (e.conn >= next_connection_) {
        const Connection& c = analyzer.connections()[static_cast<std::size_t>(e.conn)];
        write(ladder_connection_header(c.id, c.client.ip.to_string() + ":" + std::to_string(c.client.port),
                                       c.server.ip.to_string() + ":" + std::to_string(c.server.port), options_.lang));
        next_connection_ = e.conn + 1;
    }
    write(format_ladder_row(ladder_row_of(e, analyzer.stats().first_ts, options_), options_.notes));
}

void LiveLadder::end(const Analyzer& analyzer, const std::vector<std::string>& warnings) {
    // The ladder writer's end() is exactly the summary (its begin() only
    // prints a title, which a live ladder has no use for), so it is reused
    // rather than copied.
    make_text_ladder_writer(out_, options_)->end(analyzer, warnings);
}

}  // namespace tcpviz
