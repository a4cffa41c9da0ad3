// The JSON objects of the timeline's end: one per connection (its summary)
// and the capture's stats.
#include <ctime>

#include "json_fields.h"
#include "tcpviz/timeline_writer.h"
#include "timeline_json_parts.h"

namespace tcpviz {
namespace {

// The longest of the fixed members of a connection object: about 700
// characters of names and punctuation, 25 numbers of at most 22 characters.
constexpr std::size_t connection_fixed_json_bound = 1400;

json::Writer write_endpoint(json::Writer out, const Endpoint& ep) {
    out.open();
    out.key("ip");
    out.string(ep.ip.to_string());
    out.key("port");
    out.uint(ep.port);
    out.close();
    return out;
}

// {"client":...,"server":...}: a frame number per side, 0 (none) as null.
json::Writer write_frames_by_side(json::Writer out, std::uint64_t client, std::uint64_t server) {
    out.open();
    out.key("client");
    out.uint_or_null(client != 0, client);
    out.key("server");
    out.uint_or_null(server != 0, server);
    out.close();
    return out;
}

json::Writer write_syn_options(json::Writer out, const SideSummary& summary) {
    if (summary.syn_seen) return write_options_json(out, summary.syn_options, summary.syn_options.sack);
    out.null();
    return out;
}

json::Writer write_handshake(json::Writer out, const Handshake& hs) {
    out.open();
    out.key("seen");
    out.boolean(hs.syn_count > 0);
    out.key("complete");
    out.boolean(hs.complete);
    out.key("syn_frame");
    out.uint_or_null(hs.syn_frame != 0, hs.syn_frame);
    out.key("syn_ack_frame");
    out.uint_or_null(hs.syn_ack_frame != 0, hs.syn_ack_frame);
    out.key("ack_frame");
    out.uint_or_null(hs.ack_frame != 0, hs.ack_frame);
    out.key("rtt_ms");
    if (hs.complete && hs.syn_frame) out.millis(hs.ack_ts - hs.syn_ts);
    else out.null();
    out.key("syn_to_syn_ack_ms");
    if (hs.syn_frame && hs.syn_ack_frame) out.millis(hs.syn_ack_ts - hs.syn_ts);
    else out.null();
    out.key("syn_count");
    out.uint(hs.syn_count);
    out.key("syn_ack_count");
    out.uint(hs.syn_ack_count);
    out.close();
    return out;
}

json::Writer write_teardown(json::Writer out, const Connection& c) {
    const Teardown td = teardown_of(c);
    out.open();
    out.key("kind");
    out.name(name_of(td.kind));
    if (td.kind == TeardownKind::fin) {
        // A FIN teardown: four-way, with a half-close, or simultaneous.
        out.key("style");
        out.name(name_of(td.style));
        out.key("half_close");
        out.boolean(td.style == TeardownStyle::half_close);
        out.key("simultaneous");
        out.boolean(td.style == TeardownStyle::simultaneous);
    }
    if (td.kind != TeardownKind::none) {
        out.key("by");
        out.name(name_of(td.by));
        out.key("first_frame");
        out.uint(td.first_frame);
    }
    out.key("complete");
    out.boolean(td.complete);
    out.key("refused");
    out.boolean(td.refused);
    const SideSummary& cl = c.summary_of(Side::client);
    const SideSummary& sv = c.summary_of(Side::server);
    out.key("fin_frames");
    out = write_frames_by_side(out, cl.fin_frame, sv.fin_frame);
    out.key("rst_frames");
    out = write_frames_by_side(out, cl.rst_frame, sv.rst_frame);
    out.close();
    return out;
}

json::Writer write_counts(json::Writer out, const SideSummary& cl, const SideSummary& sv) {
    out.open();
    for (const auto& [key, side] : {std::pair{"c2s", &cl}, std::pair{"s2c", &sv}}) {
        out.key(std::string_view(key));
        out.open();
        out.key("segments");
        out.uint(side->segments);
        out.key("bytes");
        out.uint(side->payload_bytes);
        out.close();
    }
    out.close();
    return out;
}

// {"retransmission":3,...}: the findings seen at least once, and how often.
json::Writer write_analysis_counts(json::Writer out, const Connection& c) {
    out.open();
    for (std::size_t i = 0; i < finding_count; ++i) {
        if (c.finding_counts[i] == 0) continue;
        out.key(finding_names[i]);
        out.uint(c.finding_counts[i]);
    }
    out.close();
    return out;
}

json::Writer write_states(json::Writer out, const Connection& c, Nanos origin, int decimals) {
    out.key("states");
    out.open_array();
    for (const StateChange& sc : c.states) {
        out.item();
        out = write_state_change_json(out, sc, origin, decimals, true);
    }
    out.close_array();
    out.key("final_states");
    out.open();
    out.key("client");
    out.name(name_of(c.state[0]));
    out.key("server");
    out.name(name_of(c.state[1]));
    out.close();
    return out;
}

}  // namespace

std::size_t connection_json_bound(const Connection& c) {
    const SideSummary& cl = c.summary_of(Side::client);
    const SideSummary& sv = c.summary_of(Side::server);
    return connection_fixed_json_bound + options_json_bound(cl.syn_options) + options_json_bound(sv.syn_options) +
           findings_json_bound + finding_count * (json::key_overhead + json::max_number_chars) +
           c.states.size() * (state_change_json_bound + 1);
}

json::Writer write_connection_fields_json(json::Writer out, const Connection& c, Nanos origin, int decimals) {
    const SideSummary& cl = c.summary_of(Side::client);
    const SideSummary& sv = c.summary_of(Side::server);
    out.key("id");
    out.uint(c.id);
    out.key("client");
    out = write_endpoint(out, c.client);
    out.key("server");
    out = write_endpoint(out, c.server);
    out.key("roles_from_syn");
    out.boolean(c.roles_from_syn);
    out.key("first_frame");
    out.uint(c.first_frame);
    out.key("last_frame");
    out.uint(c.last_frame);
    out.key("start");
    out.seconds(c.first_ts - origin, decimals);
    out.key("end");
    out.seconds(c.last_ts - origin, decimals);
    out.key("isn");
    out.open();
    out.key("client");
    out.uint_or_null(cl.isn_known, cl.isn);
    out.key("server");
    out.uint_or_null(sv.isn_known, sv.isn);
    out.close();
    out.key("syn_options");
    out.open();
    out.key("client");
    out = write_syn_options(out, cl);
    out.key("server");
    out = write_syn_options(out, sv);
    out.close();
    out.key("handshake");
    out = write_handshake(out, c.handshake);
    out.key("teardown");
    out = write_teardown(out, c);
    out.key("counts");
    out = write_counts(out, cl, sv);
    out.key("analysis_counts");
    out = write_analysis_counts(out, c);
    return write_states(out, c, origin, decimals);
}

void append_connection_json(std::string& out, const Connection& c, const Analyzer& analyzer, int decimals,
                            const WriterOptions& options) {
    json::append_record(out, 1 + connection_json_bound(c), [&](json::Writer& w) {
        w.open();
        w = write_connection_fields_json(w, c, analyzer.stats().first_ts, decimals);
    });
    if (options.connection_extra) options.connection_extra(out, c);
    out += '}';
}

std::size_t stats_json_bound(const std::vector<std::string>& warnings) {
    // Eleven numbers, their names, the date and the duration in 400 characters.
    std::size_t n = 400;
    for (const std::string& w : warnings) n += json::string_bound(w.size()) + 1;
    return n;
}

json::Writer write_stats_fields_json(json::Writer out, const Analyzer& analyzer,
                                     const std::vector<std::string>& warnings) {
    const CaptureStats& s = analyzer.stats();
    const std::pair<const char*, std::uint64_t> counts[] = {
        {"frames", s.frames},
        {"tcp_segments", s.tcp_segments},
        {"connections", analyzer.connections().size()},
        {"not_ip", s.not_ip},
        {"not_tcp", s.not_tcp},
        {"ip_fragments", s.ip_fragments},
        {"undecodable", s.undecodable},
        {"tcp_without_ports", s.tcp_without_ports},
        {"truncated", s.truncated},
        {"malformed", s.malformed},
    };
    for (const auto& [name, count] : counts) {
        out.key(std::string_view(name));
        out.uint(count);
    }
    if (s.frames > 0) {
        // Wall-clock time of the first frame, UTC, so a list of sessions can be dated.
        const std::time_t secs = static_cast<std::time_t>(s.first_ts / 1'000'000'000);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        char when[32];
        const std::size_t length = std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        out.key("first_frame_time");
        out.name(std::string_view(when, length));
    }
    out.key("duration");
    out.seconds(s.last_ts - s.first_ts, 6);
    out.key("warnings");
    out.open_array();
    for (const std::string& w : warnings) {
        out.item();
        out.string(w);
    }
    out.close_array();
    return out;
}

void append_stats_json(std::string& out, const Analyzer& analyzer, const std::vector<std::string>& warnings) {
    json::append_record(out, 2 + stats_json_bound(warnings), [&](json::Writer& w) {
        w.open();
        w = write_stats_fields_json(w, analyzer, warnings);
        w.close();
    });
}

}  // namespace tcpviz
