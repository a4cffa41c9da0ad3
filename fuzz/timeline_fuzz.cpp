// The timeline reader replay and site use, then what they do with what it
// accepts: draw each event as a ladder row (English and Chinese), and make
// the document safe to embed in a report. A row must never carry a control
// character to the terminal.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "replay_command.h"
#include "site_command.h"
#include "tcpviz/utf8.h"
#include "timeline_reader.h"

namespace {

void check_terminal_safe(const std::string& text) {
    for (std::size_t i = 0; i < text.size();) {
        const tcpviz::utf8::Decoded d = tcpviz::utf8::decode(text, i);
        if (d.length == 0) __builtin_trap();  // not UTF-8
        if (d.code_point != '\n' && tcpviz::utf8::is_unsafe(d.code_point)) __builtin_trap();
        i += d.length;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::string error;
    const auto timeline = tcpviz::read_timeline(text, error);
    if (!timeline) {
        if (error.empty()) __builtin_trap();  // a refusal always says why
        return 0;
    }
    for (const tcpviz::TimelineEvent& e : timeline->events) {
        for (const tcpviz::Lang lang : {tcpviz::Lang::en, tcpviz::Lang::zh}) {
            check_terminal_safe(tcpviz::format_ladder_row(tcpviz::ladder_row_of_saved(e, lang), true));
        }
    }
    for (const tcpviz::TimelineConnection& c : timeline->connections) {
        const std::string ip = c.client ? c.client->ip : std::string();
        check_terminal_safe(
            tcpviz::ladder_connection_header(static_cast<std::int64_t>(c.id), ip, ip, tcpviz::Lang::en));
    }
    if (!timeline->ndjson) (void)tcpviz::embeddable_json(std::string(text), error);
    return 0;
}
