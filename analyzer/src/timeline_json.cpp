// The JSON timeline (version 1). Field names are the contract in
// ../shared/DESIGN.md and analyzer/timeline.schema.json; add fields freely,
// never rename one without bumping the version.
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "tcpviz/json_cursor.h"
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

void append_endpoint(std::string& out, const Endpoint& ep) {
    out += "{\"ip\":";
    json::append_string(out, ep.ip.to_string());
    out += ",\"port\":";
    json::append_uint(out, ep.port);
    out += '}';
}

// The most put_options writes: the named fields (about 190 characters at
// most) and 37 per entry of the list.
std::size_t options_json_bound(const TcpOptions& o) { return 256 + 40 * std::size_t{o.entry_count}; }

// `sack` holds the o.sack_count SACK blocks to show (relative ones for a segment).
void put_options(json::Cursor& out, const TcpOptions& o, const std::array<SackBlock, 4>& sack) {
    out.ch('{');
    bool first = true;
    auto field = [&](auto const& name_and_colon) {
        if (!first) out.ch(',');
        first = false;
        out.lit(name_and_colon);
    };
    if (o.mss) { field("\"mss\":"); out.uint(*o.mss); }
    if (o.window_scale) { field("\"ws\":"); out.uint(*o.window_scale); }
    if (o.sack_permitted) { field("\"sack_perm\":"); out.lit("true"); }
    if (o.sack_count > 0) {
        field("\"sack\":");
        out.ch('[');
        for (std::uint8_t i = 0; i < o.sack_count; ++i) {
            if (i) out.ch(',');
            out.ch('[');
            out.uint(sack[i].left);
            out.ch(',');
            out.uint(sack[i].right);
            out.ch(']');
        }
        out.ch(']');
    }
    if (o.timestamps) {
        field("\"ts\":");
        out.ch('[');
        out.uint(o.timestamps->value);
        out.ch(',');
        out.uint(o.timestamps->echo);
        out.ch(']');
    }
    if (o.entry_count > 0) {
        // Every option in order, NOP/EOL and unknown kinds included.
        field("\"list\":");
        out.ch('[');
        for (std::uint8_t i = 0; i < o.entry_count; ++i) {
            const TcpOptionEntry& en = o.entries[i];
            if (i) out.ch(',');
            out.lit("{\"kind\":");
            out.uint(en.kind);
            out.lit(",\"len\":");
            out.uint(en.length);
            if (!en.valid) out.lit(",\"valid\":false");
            out.ch('}');
        }
        out.ch(']');
    }
    out.ch('}');
}

void append_options(std::string& out, const TcpOptions& o) {
    const std::size_t at = out.size();
    out.resize(at + options_json_bound(o));
    json::Cursor cursor{out.data() + at};
    put_options(cursor, o, o.sack);
    out.resize(static_cast<std::size_t>(cursor.p - out.data()));
}

// The most put_findings writes: every name quoted, with commas and brackets.
constexpr std::size_t findings_json_bound = [] {
    std::size_t n = 2;
    for (std::string_view name : finding_names) n += name.size() + 3;
    return n;
}();

void put_findings(json::Cursor& out, Findings findings) {
    out.ch('[');
    bool first = true;
    for (std::size_t i = 0; i < finding_count; ++i) {
        const auto f = static_cast<Finding>(i);
        const bool listed = findings.has(f) ||
                            // Wireshark flags fast and spurious retransmissions as retransmissions too.
                            (f == Finding::retransmission && findings.is_any_retransmission());
        if (!listed) continue;
        if (!first) out.ch(',');
        first = false;
        out.ch('"');
        out.text(name_of(f));
        out.ch('"');
    }
    out.ch(']');
}

// The most put_state_change writes (state names are at most 12 characters).
constexpr std::size_t state_change_json_bound = 160;

void put_state_change(json::Cursor& out, const StateChange& sc, const Analyzer& analyzer, int decimals,
                      bool with_frame) {
    out.lit("{\"side\":\"");
    out.text(name_of(sc.side));
    out.lit("\",\"from\":\"");
    out.text(name_of(sc.from));
    out.lit("\",\"to\":\"");
    out.text(name_of(sc.to));
    out.ch('"');
    if (with_frame) {
        out.lit(",\"frame\":");
        out.uint(sc.frame);
        out.lit(",\"t\":");
        out.seconds(sc.ts - analyzer.stats().first_ts, decimals);
    }
    out.ch('}');
}

void append_state_change(std::string& out, const StateChange& sc, const Analyzer& analyzer, int decimals,
                         bool with_frame) {
    const std::size_t at = out.size();
    out.resize(at + state_change_json_bound);
    json::Cursor cursor{out.data() + at};
    put_state_change(cursor, sc, analyzer, decimals, with_frame);
    out.resize(static_cast<std::size_t>(cursor.p - out.data()));
}

}  // namespace

OutputSink::OutputSink(std::FILE* file)
    : file_(file), data_(std::make_unique<char[]>(4 * flush_threshold)), capacity_(4 * flush_threshold) {}

char* OutputSink::reserve(std::size_t n) {
    if (capacity_ - used_ < n) {
        flush();
        if (capacity_ < n) {
            data_ = std::make_unique<char[]>(n);
            capacity_ = n;
        }
    }
    return data_.get() + used_;
}

void OutputSink::append(std::string_view text) {
    if (text.empty()) return;
    char* at = reserve(text.size());
    std::memcpy(at, text.data(), text.size());
    used_ += text.size();
}

void OutputSink::flush() {
    if (used_ == 0) return;
    const std::size_t written = std::fwrite(data_.get(), 1, used_, file_);
    if (written != used_ || std::fflush(file_) != 0) {
        throw std::runtime_error(std::string("cannot write output: ") + std::strerror(errno));
    }
    used_ = 0;
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

std::size_t event_fields_json_bound(const Event& e, const WriterOptions& options) {
    // The fixed fields: about 450 characters of names and punctuation, 17
    // numbers of at most 31 characters, the phase and note id.
    constexpr std::size_t fixed = 1024;
    std::size_t n = fixed + 2 * findings_json_bound + 4 * state_change_json_bound + max_note_length();
    n += options_json_bound(e.options);
    if (options.payload_bytes > 0) n += payload_preview_json_bound(e.payload.size(), options.payload_bytes);
    n += 6 * e.problem.size();  // json::append_string's longest escape per byte
    return n;
}

char* write_event_fields_json(char* start, const Event& e, const Analyzer& analyzer, const WriterOptions& options,
                              int decimals) {
    json::Cursor out{start};
    out.lit("\"frame\":");
    out.uint(e.frame);
    out.lit(",\"t\":");
    out.seconds(e.ts - analyzer.stats().first_ts, decimals);
    // Fields the capture did not reach are null, never a made-up 0; so is
    // the connection of a segment cut before Wireshark would assign one.
    // Wireshark reads seq, ack, flags and window together before it shows
    // any of them: with less than the first 16 bytes of the header it shows
    // the ports only, and so does the timeline.
    const bool header_fields_known = e.captured_header_bytes >= tcp_field_end::window;
    out.lit(",\"conn\":");
    if (e.conn >= 0) out.integer(e.conn);
    else out.lit("null");
    out.lit(",\"dir\":\"");
    out.text(name_of(e.dir));
    out.lit("\",\"flags\":");
    if (header_fields_known) {
        out.ch('[');
        bool first = true;
        for (const FlagName& f : flag_table) {
            if (e.flags & f.bit) {
                if (!first) out.ch(',');
                first = false;
                out.ch('"');
                out.text(f.name);
                out.ch('"');
            }
        }
        out.ch(']');
    } else {
        out.lit("null");
    }
    // Only when set: honest segments never have them (Wireshark: tcp.flags.res).
    if (header_fields_known && e.reserved != 0) {
        out.lit(",\"reserved\":");
        out.uint(e.reserved);
    }
    auto number_or_null = [&out](bool known, std::uint64_t v) {
        if (known) out.uint(v);
        else out.lit("null");
    };
    out.lit(",\"seq\":");
    number_or_null(header_fields_known, e.seq);
    out.lit(",\"ack\":");
    number_or_null(header_fields_known, e.ack);
    out.lit(",\"seq_raw\":");
    number_or_null(header_fields_known, e.seq_raw);
    out.lit(",\"ack_raw\":");
    number_or_null(header_fields_known, e.ack_raw);
    out.lit(",\"len\":");
    number_or_null(e.have_seglen, e.len);
    out.lit(",\"win\":");
    number_or_null(header_fields_known, e.win);
    out.lit(",\"win_raw\":");
    number_or_null(header_fields_known, e.win_raw);
    out.lit(",\"win_scale\":");
    out.integer(e.win_scale);

    out.lit(",\"options\":");
    put_options(out, e.options, e.relative_sack);

    // When the capture cut the options, Wireshark reports no analysis for
    // the segment: the named fields stay empty and what tcpviz found goes to
    // "unreported_analysis".
    const SegmentAnalysis none{};
    const SegmentAnalysis& shown = e.analysis_unreported ? none : e.analysis;
    out.lit(",\"analysis\":");
    put_findings(out, shown.findings);
    if (e.analysis_unreported && !e.analysis.findings.empty()) {
        out.lit(",\"unreported_analysis\":");
        put_findings(out, e.analysis.findings);
    }
    if (shown.findings.has(Finding::duplicate_ack)) {
        out.lit(",\"dup_ack\":{\"num\":");
        out.uint(shown.dup_ack_num);
        out.lit(",\"of\":");
        out.uint(shown.dup_ack_frame);
        out.ch('}');
    }
    out.lit(",\"in_flight\":");
    if (shown.bytes_in_flight) out.uint(*shown.bytes_in_flight);
    else out.lit("null");
    if (shown.acks_frame != 0) {
        out.lit(",\"acks_frame\":");
        out.uint(shown.acks_frame);
        out.lit(",\"ack_rtt\":");
        out.seconds(shown.ack_rtt, 9);
    }
    out.lit(",\"payload\":");
    if (options.payload_bytes > 0 && !e.payload.empty()) {
        out.p = write_payload_preview_json(e.payload, options.payload_bytes, out.p);
    } else {
        out.lit("\"\"");
    }
    out.lit(",\"phase\":\"");
    out.text(name_of(e.phase));
    out.ch('"');
    if (e.state_change_count > 0) {
        out.lit(",\"states\":[");
        for (std::uint8_t i = 0; i < e.state_change_count; ++i) {
            if (i) out.ch(',');
            put_state_change(out, e.state_changes[i], analyzer, decimals, false);
        }
        out.ch(']');
    }
    if (e.truncated) out.lit(",\"truncated\":true");
    if (e.malformed) out.lit(",\"malformed\":true");
    if (!e.problem.empty()) {
        // Problems are tcpviz's own short ASCII phrases; escaped all the same.
        std::string escaped;
        json::append_string(escaped, e.problem);
        out.lit(",\"problem\":");
        out.text(escaped);
    }
    out.lit(",\"note_id\":\"");
    out.text(note_id_name(e.note.id));
    out.lit("\",\"note_args\":[");
    out.uint(e.note.args[0]);
    out.ch(',');
    out.uint(e.note.args[1]);
    out.ch(',');
    out.uint(e.note.args[2]);
    out.lit("],\"note\":\"");
    // The sentences are tcpviz's own text with numbers filled in: nothing in
    // them needs escaping (a test checks every note), so no escape pass.
    out.p = write_note(e.note, Lang::en, out.p);
    out.ch('"');
    return out.p;
}

void append_event_json(std::string& out, const Event& e, const Analyzer& analyzer, const WriterOptions& options,
                       int decimals) {
    const std::size_t at = out.size();
    out.resize(at + 2 + event_fields_json_bound(e, options));
    char* p = out.data() + at;
    *p++ = '{';
    p = write_event_fields_json(p, e, analyzer, options, decimals);
    *p++ = '}';
    out.resize(static_cast<std::size_t>(p - out.data()));
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
    if (cl.syn_seen) append_options(out, cl.syn_options); else out += "null";
    out += ",\"server\":";
    if (sv.syn_seen) append_options(out, sv.syn_options); else out += "null";
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
    out += ",\"tcp_without_ports\":";
    json::append_uint(out, s.tcp_without_ports);
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

// What both JSON writers share: the sink, the options, and writing one event
// object between a prefix and a suffix, straight into the sink's buffer.
class JsonWriterBase : public TimelineWriter {
protected:
    JsonWriterBase(std::FILE* out, const WriterOptions& options) : sink_(out), options_(options) {}

    template <std::size_t P, std::size_t S>
    void write_event(const Event& e, const Analyzer& analyzer, const char (&prefix)[P], const char (&suffix)[S]) {
        char* start = sink_.reserve(P + S + event_fields_json_bound(e, options_));
        json::Cursor out{start};
        out.lit(prefix);
        out.p = write_event_fields_json(out.p, e, analyzer, options_, decimals_);
        out.lit(suffix);
        sink_.commit(out.p);
        sink_.maybe_flush();
    }

    OutputSink sink_;
    WriterOptions options_;
    int decimals_ = 6;
    std::string text_;  // scratch for the parts that are not events
};

class JsonWriter : public JsonWriterBase {
public:
    JsonWriter(std::FILE* out, const WriterOptions& options) : JsonWriterBase(out, options) {}

    void begin(const TimelineSource& source) override {
        decimals_ = source.time_decimals;
        text_ = "{\"format\":\"tcpviz-timeline\",\"version\":1,\"source\":";
        append_source(text_, source);
        text_ += ",\n\"events\":[\n";
        sink_.append(text_);
    }
    void event(const Event& e, const Analyzer& analyzer) override {
        // Each event on its own line, after a comma from the second on.
        if (count_++ > 0) write_event(e, analyzer, ",\n{", "}");
        else write_event(e, analyzer, "{", "}");
    }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        sink_.append("\n],\n\"connections\":[\n");
        bool first = true;
        for (const Connection& c : analyzer.connections()) {
            text_.clear();
            if (!first) text_ += ",\n";
            first = false;
            append_connection_json(text_, c, analyzer, decimals_, options_);
            sink_.append(text_);
            sink_.maybe_flush();
        }
        text_ = "\n],\n\"stats\":";
        append_stats_json(text_, analyzer, warnings);
        text_ += "}\n";
        sink_.append(text_);
        sink_.flush();
    }

private:
    std::uint64_t count_ = 0;
};

// NDJSON: a header line, one line per event, one per connection, a stats line.
// Each line is an object with a "type" so a reader can dispatch on it.
class NdjsonWriter : public JsonWriterBase {
public:
    NdjsonWriter(std::FILE* out, const WriterOptions& options) : JsonWriterBase(out, options) {}

    void begin(const TimelineSource& source) override {
        decimals_ = source.time_decimals;
        text_ = "{\"type\":\"header\",\"format\":\"tcpviz-timeline\",\"version\":1,\"source\":";
        append_source(text_, source);
        text_ += "}\n";
        sink_.append(text_);
    }
    void event(const Event& e, const Analyzer& analyzer) override {
        write_event(e, analyzer, "{\"type\":\"event\",", "}\n");
    }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        for (const Connection& c : analyzer.connections()) {
            text_ = "{\"type\":\"connection\",";
            const std::size_t at = text_.size();
            append_connection_json(text_, c, analyzer, decimals_, options_);
            text_.erase(at, 1);  // drop the connection object's own '{'
            text_ += '\n';
            sink_.append(text_);
            sink_.maybe_flush();
        }
        text_ = "{\"type\":\"stats\",";
        const std::size_t at = text_.size();
        append_stats_json(text_, analyzer, warnings);
        text_.erase(at, 1);
        text_ += '\n';
        sink_.append(text_);
        sink_.flush();
    }
};

}  // namespace

std::unique_ptr<TimelineWriter> make_json_writer(std::FILE* out, const WriterOptions& options) {
    return std::make_unique<JsonWriter>(out, options);
}

std::unique_ptr<TimelineWriter> make_ndjson_writer(std::FILE* out, const WriterOptions& options) {
    return std::make_unique<NdjsonWriter>(out, options);
}

}  // namespace tcpviz
