// The JSON timeline (version 1). Field names are the contract in
// ../shared/DESIGN.md and analyzer/timeline.schema.json; add fields freely,
// never rename one without bumping the version.
#include <stdexcept>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "tcpviz/json_text.h"
#include "tcpviz/payload_preview.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

struct FlagName {
    std::uint16_t bit;
    std::string_view name;
};
// In Wireshark's order (by bit), so "SYN,ACK", "PSH,ACK", "FIN,ACK" read as in its Info column.
constexpr FlagName flag_table[] = {
    {tcp_flag::fin, "FIN"}, {tcp_flag::syn, "SYN"}, {tcp_flag::rst, "RST"}, {tcp_flag::psh, "PSH"},
    {tcp_flag::ack, "ACK"}, {tcp_flag::urg, "URG"}, {tcp_flag::ece, "ECE"}, {tcp_flag::cwr, "CWR"},
    {tcp_flag::ae, "AE"},
};

void key(std::string& out, std::string_view name) {
    out += '"';
    out += name;
    out += "\":";
}

void append_endpoint(std::string& out, const Endpoint& ep) {
    out += "{\"ip\":";
    json::append_string(out, ep.ip.to_string());
    out += ",\"port\":";
    json::append_uint(out, ep.port);
    out += '}';
}

void append_options(std::string& out, const TcpOptions& o, std::uint32_t sack_base) {
    out += '{';
    bool first = true;
    auto field = [&](std::string_view name) {
        if (!first) out += ',';
        first = false;
        key(out, name);
    };
    if (o.mss) { field("mss"); json::append_uint(out, *o.mss); }
    if (o.window_scale) { field("ws"); json::append_uint(out, *o.window_scale); }
    if (o.sack_permitted) { field("sack_perm"); out += "true"; }
    if (o.sack_count > 0) {
        // SACK edges relative to the ISN of the data they acknowledge, as Wireshark shows them.
        field("sack");
        out += '[';
        for (std::uint8_t i = 0; i < o.sack_count; ++i) {
            if (i) out += ',';
            out += '[';
            json::append_uint(out, o.sack[i].left - sack_base);
            out += ',';
            json::append_uint(out, o.sack[i].right - sack_base);
            out += ']';
        }
        out += ']';
    }
    if (o.timestamps) {
        field("ts");
        out += '[';
        json::append_uint(out, o.timestamps->value);
        out += ',';
        json::append_uint(out, o.timestamps->echo);
        out += ']';
    }
    if (o.entry_count > 0) {
        // Every option in order, NOP/EOL and unknown kinds included.
        field("list");
        out += '[';
        for (std::uint8_t i = 0; i < o.entry_count; ++i) {
            const TcpOptionEntry& en = o.entries[i];
            if (i) out += ',';
            out += "{\"kind\":";
            json::append_uint(out, en.kind);
            out += ",\"len\":";
            json::append_uint(out, en.length);
            if (!en.valid) out += ",\"valid\":false";
            out += '}';
        }
        out += ']';
    }
    out += '}';
}

void append_findings(std::string& out, Findings findings) {
    out += '[';
    bool first = true;
    for (std::size_t i = 0; i < finding_count; ++i) {
        const auto f = static_cast<Finding>(i);
        const bool listed = findings.has(f) ||
                            // Wireshark flags fast and spurious retransmissions as retransmissions too.
                            (f == Finding::retransmission && findings.is_any_retransmission());
        if (!listed) continue;
        if (!first) out += ',';
        first = false;
        out += '"';
        out += name_of(f);
        out += '"';
    }
    out += ']';
}

void append_state_change(std::string& out, const StateChange& sc, const Analyzer& analyzer, int decimals,
                         bool with_frame) {
    out += "{\"side\":\"";
    out += name_of(sc.side);
    out += "\",\"from\":\"";
    out += name_of(sc.from);
    out += "\",\"to\":\"";
    out += name_of(sc.to);
    out += '"';
    if (with_frame) {
        out += ",\"frame\":";
        json::append_uint(out, sc.frame);
        out += ",\"t\":";
        json::append_seconds(out, sc.ts - analyzer.stats().first_ts, decimals);
    }
    out += '}';
}

}  // namespace

void OutputSink::flush() {
    if (buffer_.empty()) return;
    const std::size_t written = std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
    if (written != buffer_.size() || std::fflush(file_) != 0) {
        throw std::runtime_error(std::string("cannot write output: ") + std::strerror(errno));
    }
    buffer_.clear();
}

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

void append_event_json(std::string& out, const Event& e, const Analyzer& analyzer, const WriterOptions& options,
                       int decimals) {
    out += "{\"frame\":";
    json::append_uint(out, e.frame);
    out += ",\"t\":";
    json::append_seconds(out, e.ts - analyzer.stats().first_ts, decimals);
    // Fields the capture did not reach are null, never a made-up 0; so is
    // the connection of a segment cut before Wireshark would assign one.
    const std::size_t got = e.captured_header_bytes;
    out += ",\"conn\":";
    if (e.conn >= 0) json::append_int(out, e.conn);
    else out += "null";
    out += ",\"dir\":\"";
    out += name_of(e.dir);
    out += "\",\"flags\":";
    if (got >= tcp_field_end::flags) {
        out += '[';
        bool first = true;
        for (const FlagName& f : flag_table) {
            if (e.flags & f.bit) {
                if (!first) out += ',';
                first = false;
                out += '"';
                out += f.name;
                out += '"';
            }
        }
        out += ']';
    } else {
        out += "null";
    }
    auto number_or_null = [&out](bool known, std::uint64_t v) {
        if (known) json::append_uint(out, v);
        else out += "null";
    };
    out += ",\"seq\":";
    number_or_null(got >= tcp_field_end::seq, e.seq);
    out += ",\"ack\":";
    number_or_null(got >= tcp_field_end::ack, e.ack);
    out += ",\"seq_raw\":";
    number_or_null(got >= tcp_field_end::seq, e.seq_raw);
    out += ",\"ack_raw\":";
    number_or_null(got >= tcp_field_end::ack, e.ack_raw);
    out += ",\"len\":";
    number_or_null(e.have_seglen, e.len);
    out += ",\"win\":";
    number_or_null(got >= tcp_field_end::window, e.win);
    out += ",\"win_raw\":";
    number_or_null(got >= tcp_field_end::window, e.win_raw);
    out += ",\"win_scale\":";
    json::append_int(out, e.win_scale);

    std::uint32_t sack_base = 0;
    if (e.conn >= 0) {
        const Connection& c = analyzer.connections()[static_cast<std::size_t>(e.conn)];
        sack_base = c.flow[e.dir == Direction::c2s ? 1 : 0].base_seq;
    }
    out += ",\"options\":";
    if (e.options) append_options(out, *e.options, sack_base);
    else out += "{}";

    // When the capture cut the options, Wireshark reports no analysis for
    // the segment: the named fields stay empty and what tcpviz found goes to
    // "unreported_analysis".
    const SegmentAnalysis none{};
    const SegmentAnalysis& shown = e.analysis_unreported ? none : e.analysis;
    out += ",\"analysis\":";
    append_findings(out, shown.findings);
    if (e.analysis_unreported && !e.analysis.findings.empty()) {
        out += ",\"unreported_analysis\":";
        append_findings(out, e.analysis.findings);
    }
    if (shown.findings.has(Finding::duplicate_ack)) {
        out += ",\"dup_ack\":{\"num\":";
        json::append_uint(out, shown.dup_ack_num);
        out += ",\"of\":";
        json::append_uint(out, shown.dup_ack_frame);
        out += '}';
    }
    out += ",\"in_flight\":";
    if (shown.bytes_in_flight) json::append_uint(out, *shown.bytes_in_flight);
    else out += "null";
    if (shown.acks_frame != 0) {
        out += ",\"acks_frame\":";
        json::append_uint(out, shown.acks_frame);
        out += ",\"ack_rtt\":";
        json::append_seconds(out, shown.ack_rtt, 9);
    }
    out += ",\"payload\":";
    if (options.payload_bytes > 0 && !e.payload.empty()) {
        append_payload_preview_json(e.payload, options.payload_bytes, out);
    } else {
        out += "\"\"";
    }
    out += ",\"phase\":\"";
    out += name_of(e.phase);
    out += '"';
    if (e.state_change_count > 0) {
        out += ",\"states\":[";
        for (std::uint8_t i = 0; i < e.state_change_count; ++i) {
            if (i) out += ',';
            append_state_change(out, e.state_changes[i], analyzer, decimals, false);
        }
        out += ']';
    }
    if (e.truncated) out += ",\"truncated\":true";
    if (e.malformed) out += ",\"malformed\":true";
    if (!e.problem.empty()) {
        out += ",\"problem\":";
        json::append_string(out, e.problem);
    }
    out += ",\"note_id\":\"";
    out += note_id_name(e.note.id);
    out += "\",\"note_args\":[";
    json::append_uint(out, e.note.args[0]);
    out += ',';
    json::append_uint(out, e.note.args[1]);
    out += ',';
    json::append_uint(out, e.note.args[2]);
    out += "],\"note\":";
    // The sentences are tcpviz's own text with numbers filled in: nothing in
    // them needs escaping (a test checks every note), so no escape pass.
    out += '"';
    render_note(e.note, Lang::en, out);
    out += '"';
    out += '}';
}

void append_connection_json(std::string& out, const Connection& c, const Analyzer& analyzer, int decimals,
                            const WriterOptions& options) {
    const Nanos t0 = analyzer.stats().first_ts;
    const SideSummary& cl = c.summary_of(Side::client);
    const SideSummary& sv = c.summary_of(Side::server);
    const Handshake& hs = c.handshake;
    out += "{\"id\":";
    json::append_uint(out, c.id);
    out += ",\"client\":";
    append_endpoint(out, c.client);
    out += ",\"server\":";
    append_endpoint(out, c.server);
    out += ",\"roles_from_syn\":";
    out += c.roles_from_syn ? "true" : "false";
    out += ",\"first_frame\":";
    json::append_uint(out, c.first_frame);
    out += ",\"last_frame\":";
    json::append_uint(out, c.last_frame);
    out += ",\"start\":";
    json::append_seconds(out, c.first_ts - t0, decimals);
    out += ",\"end\":";
    json::append_seconds(out, c.last_ts - t0, decimals);

    out += ",\"isn\":{\"client\":";
    if (cl.isn_known) json::append_uint(out, cl.isn); else out += "null";
    out += ",\"server\":";
    if (sv.isn_known) json::append_uint(out, sv.isn); else out += "null";
    out += "},\"syn_options\":{\"client\":";
    if (cl.syn_seen) append_options(out, cl.syn_options, 0); else out += "null";
    out += ",\"server\":";
    if (sv.syn_seen) append_options(out, sv.syn_options, 0); else out += "null";
    out += '}';

    out += ",\"handshake\":{\"seen\":";
    out += hs.syn_count > 0 ? "true" : "false";
    out += ",\"complete\":";
    out += hs.complete ? "true" : "false";
    out += ",\"syn_frame\":";
    if (hs.syn_frame) json::append_uint(out, hs.syn_frame); else out += "null";
    out += ",\"syn_ack_frame\":";
    if (hs.syn_ack_frame) json::append_uint(out, hs.syn_ack_frame); else out += "null";
    out += ",\"ack_frame\":";
    if (hs.ack_frame) json::append_uint(out, hs.ack_frame); else out += "null";
    out += ",\"rtt_ms\":";
    if (hs.complete && hs.syn_frame) json::append_millis(out, hs.ack_ts - hs.syn_ts); else out += "null";
    out += ",\"syn_to_syn_ack_ms\":";
    if (hs.syn_frame && hs.syn_ack_frame) json::append_millis(out, hs.syn_ack_ts - hs.syn_ts); else out += "null";
    out += ",\"syn_count\":";
    json::append_uint(out, hs.syn_count);
    out += ",\"syn_ack_count\":";
    json::append_uint(out, hs.syn_ack_count);
    out += '}';

    const Teardown td = teardown_of(c);
    out += ",\"teardown\":{\"kind\":\"";
    out += name_of(td.kind);
    out += '"';
    if (td.kind == TeardownKind::fin) {
        // A FIN teardown: four-way, with a half-close, or simultaneous.
        out += ",\"style\":\"";
        out += name_of(td.style);
        out += "\",\"half_close\":";
        out += td.style == TeardownStyle::half_close ? "true" : "false";
        out += ",\"simultaneous\":";
        out += td.style == TeardownStyle::simultaneous ? "true" : "false";
    }
    if (td.kind != TeardownKind::none) {
        out += ",\"by\":\"";
        out += name_of(td.by);
        out += "\",\"first_frame\":";
        json::append_uint(out, td.first_frame);
    }
    out += ",\"complete\":";
    out += td.complete ? "true" : "false";
    out += ",\"refused\":";
    out += td.refused ? "true" : "false";
    out += ",\"fin_frames\":{\"client\":";
    if (cl.fin_frame) json::append_uint(out, cl.fin_frame); else out += "null";
    out += ",\"server\":";
    if (sv.fin_frame) json::append_uint(out, sv.fin_frame); else out += "null";
    out += "},\"rst_frames\":{\"client\":";
    if (cl.rst_frame) json::append_uint(out, cl.rst_frame); else out += "null";
    out += ",\"server\":";
    if (sv.rst_frame) json::append_uint(out, sv.rst_frame); else out += "null";
    out += "}}";

    out += ",\"counts\":{\"c2s\":{\"segments\":";
    json::append_uint(out, cl.segments);
    out += ",\"bytes\":";
    json::append_uint(out, cl.payload_bytes);
    out += "},\"s2c\":{\"segments\":";
    json::append_uint(out, sv.segments);
    out += ",\"bytes\":";
    json::append_uint(out, sv.payload_bytes);
    out += "}}";

    out += ",\"analysis_counts\":{";
    bool first = true;
    for (std::size_t i = 0; i < finding_count; ++i) {
        if (c.finding_counts[i] == 0) continue;
        if (!first) out += ',';
        first = false;
        out += '"';
        out += finding_names[i];
        out += "\":";
        json::append_uint(out, c.finding_counts[i]);
    }
    out += '}';

    out += ",\"states\":[";
    for (std::size_t i = 0; i < c.states.size(); ++i) {
        if (i) out += ',';
        append_state_change(out, c.states[i], analyzer, decimals, true);
    }
    out += "],\"final_states\":{\"client\":\"";
    out += name_of(c.state[0]);
    out += "\",\"server\":\"";
    out += name_of(c.state[1]);
    out += "\"}";
    if (options.connection_extra) options.connection_extra(out, c);
    out += '}';
}

void append_stats_json(std::string& out, const Analyzer& analyzer, const std::vector<std::string>& warnings) {
    const CaptureStats& s = analyzer.stats();
    out += "{\"frames\":";
    json::append_uint(out, s.frames);
    out += ",\"tcp_segments\":";
    json::append_uint(out, s.tcp_segments);
    out += ",\"connections\":";
    json::append_uint(out, analyzer.connections().size());
    out += ",\"not_ip\":";
    json::append_uint(out, s.not_ip);
    out += ",\"not_tcp\":";
    json::append_uint(out, s.not_tcp);
    out += ",\"ip_fragments\":";
    json::append_uint(out, s.ip_fragments);
    out += ",\"undecodable\":";
    json::append_uint(out, s.undecodable);
    out += ",\"truncated\":";
    json::append_uint(out, s.truncated);
    out += ",\"malformed\":";
    json::append_uint(out, s.malformed);
    if (s.frames > 0) {
        // Wall-clock time of the first frame, UTC, so a list of sessions can be dated.
        const std::time_t secs = static_cast<std::time_t>(s.first_ts / 1'000'000'000);
        std::tm tm{};
        gmtime_r(&secs, &tm);
        char when[32];
        std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        out += ",\"first_frame_time\":\"";
        out += when;
        out += '"';
    }
    out += ",\"duration\":";
    json::append_seconds(out, s.last_ts - s.first_ts, 6);
    out += ",\"warnings\":[";
    for (std::size_t i = 0; i < warnings.size(); ++i) {
        if (i) out += ',';
        json::append_string(out, warnings[i]);
    }
    out += "]}";
}

namespace {

void append_source(std::string& out, const TimelineSource& source) {
    out += "{\"file\":";
    json::append_string(out, source.file);
    out += ",\"link_type\":";
    json::append_string(out, link_type_name(source.link_type));
    out += ",\"generator\":\"tcpviz\"}";
}

class JsonWriter : public TimelineWriter {
public:
    JsonWriter(std::FILE* out, const WriterOptions& options) : sink_(out), options_(options) {}

    void begin(const TimelineSource& source) override {
        decimals_ = source.time_decimals;
        std::string& out = sink_.buffer();
        out += "{\"format\":\"tcpviz-timeline\",\"version\":1,\"source\":";
        append_source(out, source);
        out += ",\n\"events\":[\n";
    }
    void event(const Event& e, const Analyzer& analyzer) override {
        std::string& out = sink_.buffer();
        if (count_++ > 0) out += ",\n";
        append_event_json(out, e, analyzer, options_, decimals_);
        sink_.maybe_flush();
    }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        std::string& out = sink_.buffer();
        out += "\n],\n\"connections\":[\n";
        bool first = true;
        for (const Connection& c : analyzer.connections()) {
            if (!first) out += ",\n";
            first = false;
            append_connection_json(out, c, analyzer, decimals_, options_);
            sink_.maybe_flush();
        }
        out += "\n],\n\"stats\":";
        append_stats_json(out, analyzer, warnings);
        out += "}\n";
        sink_.flush();
    }

private:
    OutputSink sink_;
    WriterOptions options_;
    int decimals_ = 6;
    std::uint64_t count_ = 0;
};

// NDJSON: a header line, one line per event, one per connection, a stats line.
// Each line is an object with a "type" so a reader can dispatch on it.
class NdjsonWriter : public TimelineWriter {
public:
    NdjsonWriter(std::FILE* out, const WriterOptions& options) : sink_(out), options_(options) {}

    void begin(const TimelineSource& source) override {
        decimals_ = source.time_decimals;
        std::string& out = sink_.buffer();
        out += "{\"type\":\"header\",\"format\":\"tcpviz-timeline\",\"version\":1,\"source\":";
        append_source(out, source);
        out += "}\n";
    }
    void event(const Event& e, const Analyzer& analyzer) override {
        std::string& out = sink_.buffer();
        out += "{\"type\":\"event\",";
        const std::size_t at = out.size();
        append_event_json(out, e, analyzer, options_, decimals_);
        out.erase(at, 1);  // drop the event object's own '{'
        out += '\n';
        sink_.maybe_flush();
    }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        std::string& out = sink_.buffer();
        for (const Connection& c : analyzer.connections()) {
            out += "{\"type\":\"connection\",";
            const std::size_t at = out.size();
            append_connection_json(out, c, analyzer, decimals_, options_);
            out.erase(at, 1);
            out += '\n';
            sink_.maybe_flush();
        }
        out += "{\"type\":\"stats\",";
        const std::size_t at = out.size();
        append_stats_json(out, analyzer, warnings);
        out.erase(at, 1);
        out += '\n';
        sink_.flush();
    }

private:
    OutputSink sink_;
    WriterOptions options_;
    int decimals_ = 6;
};

}  // namespace

std::unique_ptr<TimelineWriter> make_json_writer(std::FILE* out, const WriterOptions& options) {
    return std::make_unique<JsonWriter>(out, options);
}

std::unique_ptr<TimelineWriter> make_ndjson_writer(std::FILE* out, const WriterOptions& options) {
    return std::make_unique<NdjsonWriter>(out, options);
}

}  // namespace tcpviz
