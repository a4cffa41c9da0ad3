// English and Chinese names of the layers and header fields that
// decode_layers() returns, from analyzer/layer_names.json (the one source,
// shared with the web page). Write layer: the decoder itself names nothing.
#pragma once

#include <cstdint>
#include <string_view>

#include "tcpviz/frame_layers.h"
#include "tcpviz/note.h"

namespace tcpviz {

std::string_view layer_title(LayerKind kind, Lang lang);
// A field's name by its id ("tcp.srcport"); the id itself when the table has none.
std::string_view field_name(std::string_view id, Lang lang);
// "MSS (maximum segment size)"; empty for a kind the table does not name.
std::string_view tcp_option_name(std::uint32_t kind, Lang lang);
// A word or phrase of the layers output ("bytes", "not_captured" ...).
std::string_view layer_word(std::string_view id, Lang lang);
// A line or mark of `--format stream` ("heading", "fin" ...), with {placeholders}.
std::string_view stream_word(std::string_view id, Lang lang);
// A decoder's problem sentence (English) in `lang`; unchanged when not in the table.
std::string_view problem_text(std::string_view english, Lang lang);

}  // namespace tcpviz
