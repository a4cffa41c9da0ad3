#include "tcpviz/layer_names.h"

#include <algorithm>
#include <iterator>

namespace tcpviz {
namespace {

struct Named {
    std::string_view id;
    std::string_view en;
    std::string_view zh;
};
struct NamedKind {
    std::uint32_t kind;
    std::string_view en;
    std::string_view zh;
};
struct Translated {
    std::string_view en;
    std::string_view zh;
};

constexpr Named layers[] = {
#include "tcpviz/layer_layers.inc"
};
constexpr Named fields[] = {
#include "tcpviz/layer_fields.inc"
};
constexpr NamedKind tcp_options[] = {
#include "tcpviz/layer_tcp_options.inc"
};
constexpr Named words[] = {
#include "tcpviz/layer_words.inc"
};
constexpr Named stream[] = {
#include "tcpviz/layer_stream.inc"
};
constexpr Translated problems[] = {
#include "tcpviz/layer_problems.inc"
};

std::string_view in(const Named& n, Lang lang) { return lang == Lang::zh ? n.zh : n.en; }

// The tables are a few dozen rows: a linear search is the clearest.
const Named* find(const Named* first, const Named* last, std::string_view id) {
    const Named* it = std::find_if(first, last, [&](const Named& n) { return n.id == id; });
    return it == last ? nullptr : it;
}

}  // namespace

std::string_view layer_title(LayerKind kind, Lang lang) {
    const Named* n = find(std::begin(layers), std::end(layers), name_of(kind));
    return n ? in(*n, lang) : name_of(kind);
}

std::string_view field_name(std::string_view id, Lang lang) {
    const Named* n = find(std::begin(fields), std::end(fields), id);
    return n ? in(*n, lang) : id;
}

std::string_view tcp_option_name(std::uint32_t kind, Lang lang) {
    for (const NamedKind& k : tcp_options) {
        if (k.kind == kind) return lang == Lang::zh ? k.zh : k.en;
    }
    return {};
}

std::string_view layer_word(std::string_view id, Lang lang) {
    const Named* n = find(std::begin(words), std::end(words), id);
    return n ? in(*n, lang) : id;
}

std::string_view stream_word(std::string_view id, Lang lang) {
    const Named* n = find(std::begin(stream), std::end(stream), id);
    return n ? in(*n, lang) : id;
}

std::string_view problem_text(std::string_view english, Lang lang) {
    if (lang == Lang::en) return english;
    for (const Translated& t : problems) {
        if (t.en == english) return t.zh;
    }
    return english;
}

}  // namespace tcpviz
