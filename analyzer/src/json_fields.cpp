#include "json_fields.h"

#include <string>

#include "tcpviz/timeline_writer.h"

namespace tcpviz {

std::string flag_names(std::uint16_t flags, char separator) {
    std::string out;
    for (const FlagName& f : flag_table) {
        if (flags & f.bit) {
            if (!out.empty()) out += separator;
            out += f.name;
        }
    }
    return out;
}

namespace {

// [a,b]
json::Writer write_pair(json::Writer out, std::uint64_t a, std::uint64_t b) {
    out.open_array();
    out.item();
    out.uint(a);
    out.item();
    out.uint(b);
    out.close_array();
    return out;
}

// Every option in order, NOP/EOL and unknown kinds included.
json::Writer write_option_list(json::Writer out, const TcpOptions& o) {
    out.open_array();
    for (std::uint8_t i = 0; i < o.entry_count; ++i) {
        const TcpOptionEntry& en = o.entries[i];
        out.item();
        out.open();
        out.key("kind");
        out.uint(en.kind);
        out.key("len");
        out.uint(en.length);
        if (!en.valid) {
            out.key("valid");
            out.boolean(false);
        }
        out.close();
    }
    out.close_array();
    return out;
}

}  // namespace

json::Writer write_options_json(json::Writer out, const TcpOptions& o, const std::array<SackBlock, 4>& sack) {
    out.open();
    if (o.mss) {
        out.key("mss");
        out.uint(*o.mss);
    }
    if (o.window_scale) {
        out.key("ws");
        out.uint(*o.window_scale);
    }
    if (o.sack_permitted) {
        out.key("sack_perm");
        out.boolean(true);
    }
    if (o.sack_count > 0) {
        out.key("sack");
        out.open_array();
        for (std::uint8_t i = 0; i < o.sack_count; ++i) {
            out.item();
            out = write_pair(out, sack[i].left, sack[i].right);
        }
        out.close_array();
    }
    if (o.timestamps) {
        out.key("ts");
        out = write_pair(out, o.timestamps->value, o.timestamps->echo);
    }
    if (o.entry_count > 0) {
        out.key("list");
        out = write_option_list(out, o);
    }
    out.close();
    return out;
}

json::Writer write_findings_json(json::Writer out, Findings findings) {
    out.open_array();
    for (std::size_t i = 0; i < finding_count; ++i) {
        const auto f = static_cast<Finding>(i);
        const bool listed = findings.has(f) ||
                            // Wireshark flags fast and spurious retransmissions as retransmissions too.
                            (f == Finding::retransmission && findings.is_any_retransmission());
        if (!listed) continue;
        out.item();
        out.name(name_of(f));
    }
    out.close_array();
    return out;
}

json::Writer write_state_change_json(json::Writer out, const StateChange& sc, Nanos origin, int decimals,
                                     bool with_frame) {
    out.open();
    out.key("side");
    out.name(name_of(sc.side));
    out.key("from");
    out.name(name_of(sc.from));
    out.key("to");
    out.name(name_of(sc.to));
    if (with_frame) {
        out.key("frame");
        out.uint(sc.frame);
        out.key("t");
        out.seconds(sc.ts - origin, decimals);
    }
    out.close();
    return out;
}

}  // namespace tcpviz
