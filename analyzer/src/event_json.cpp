// The JSON object of one event (one TCP segment): the "events" of the
// timeline contract (analyzer/timeline.schema.json).
#include "json_fields.h"
#include "tcpviz/payload_preview.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

// From "frame" to "options": what the header says.
json::Writer write_header_fields(json::Writer out, const Event& e, Nanos origin, int decimals) {
    out.key("frame");
    out.uint(e.frame);
    out.key("t");
    out.seconds(e.ts - origin, decimals);
    // Fields the capture did not reach are null, never a made-up 0; so is
    // the connection of a segment cut before Wireshark would assign one.
    // Wireshark reads seq, ack, flags and window together before it shows
    // any of them: with less than the first 16 bytes of the header it shows
    // the ports only, and so does the timeline.
    const bool known = e.captured_header_bytes >= tcp_field_end::window;
    out.key("conn");
    if (e.conn >= 0) out.integer(e.conn);
    else out.null();
    out.key("dir");
    out.name(name_of(e.dir));
    out.key("flags");
    if (known) out = write_flags_json(out, e.flags);
    else out.null();
    // Only when set: honest segments never have them (Wireshark: tcp.flags.res).
    if (known && e.reserved != 0) {
        out.key("reserved");
        out.uint(e.reserved);
    }
    out.key("seq");
    out.uint_or_null(known, e.seq);
    out.key("ack");
    out.uint_or_null(known, e.ack);
    out.key("seq_raw");
    out.uint_or_null(known, e.seq_raw);
    out.key("ack_raw");
    out.uint_or_null(known, e.ack_raw);
    out.key("len");
    out.uint_or_null(e.have_seglen, e.len);
    out.key("win");
    out.uint_or_null(known, e.win);
    out.key("win_raw");
    out.uint_or_null(known, e.win_raw);
    out.key("win_scale");
    out.integer(e.win_scale);
    out.key("options");
    return write_options_json(out, e.options, e.relative_sack);
}

// From "analysis" to "ack_rtt": what the analysis found.
json::Writer write_analysis_fields(json::Writer out, const Event& e) {
    // When the capture cut the options, Wireshark reports no analysis for
    // the segment: the named fields stay empty and what tcpviz found goes to
    // "unreported_analysis".
    const SegmentAnalysis none{};
    const SegmentAnalysis& shown = e.analysis_unreported ? none : e.analysis;
    out.key("analysis");
    out = write_findings_json(out, shown.findings);
    if (e.analysis_unreported && !e.analysis.findings.empty()) {
        out.key("unreported_analysis");
        out = write_findings_json(out, e.analysis.findings);
    }
    if (shown.findings.has(Finding::duplicate_ack)) {
        out.key("dup_ack");
        out.open();
        out.key("num");
        out.uint(shown.dup_ack_num);
        out.key("of");
        out.uint(shown.dup_ack_frame);
        out.close();
    }
    out.key("in_flight");
    out.uint_or_null(shown.bytes_in_flight);
    if (shown.acks_frame != 0) {
        out.key("acks_frame");
        out.uint(shown.acks_frame);
        out.key("ack_rtt");
        out.seconds(shown.ack_rtt, 9);
    }
    return out;
}

// From "payload" to "note": what a student reads.
json::Writer write_reading_fields(json::Writer out, const Event& e, const WriterOptions& options, int decimals) {
    out.key("payload");
    if (options.payload_bytes > 0 && !e.payload.empty()) {
        out.skip_to(write_payload_preview_json(e.payload, options.payload_bytes, out.end()));
    } else {
        out.raw("\"\"");
    }
    out.key("phase");
    out.name(name_of(e.phase));
    if (e.state_change_count > 0) {
        out.key("states");
        out.open_array();
        for (std::uint8_t i = 0; i < e.state_change_count; ++i) {
            out.item();
            out = write_state_change_json(out, e.state_changes[i], 0, decimals, false);
        }
        out.close_array();
    }
    if (e.truncated) {
        out.key("truncated");
        out.boolean(true);
    }
    if (e.malformed) {
        out.key("malformed");
        out.boolean(true);
    }
    if (!e.problem.empty()) {
        out.key("problem");  // tcpviz's own short ASCII phrases; escaped all the same
        out.string(e.problem);
    }
    out.key("note_id");
    out.name(note_id_name(e.note.id));
    out.key("note_args");
    out.open_array();
    for (std::uint32_t arg : e.note.args) {
        out.item();
        out.uint(arg);
    }
    out.close_array();
    // The sentences are tcpviz's own text with numbers filled in: nothing in
    // them needs escaping (a test checks every note), so no escape pass.
    out.key("note");
    out.raw("\"");
    out.skip_to(write_note(e.note, Lang::en, out.end()));
    out.raw("\"");
    return out;
}

}  // namespace

std::size_t event_fields_json_bound(const Event& e, const WriterOptions& options) {
    // The fixed fields: about 450 characters of names and punctuation, 17
    // numbers of at most 22 characters, the phase and note id.
    constexpr std::size_t fixed = 1024;
    std::size_t n = fixed + 2 * findings_json_bound + 4 * state_change_json_bound + max_note_length();
    n += options_json_bound(e.options);
    if (options.payload_bytes > 0) n += payload_preview_json_bound(e.payload.size(), options.payload_bytes);
    n += json::string_bound(e.problem.size());
    return n;
}

json::Writer write_event_fields_json(json::Writer out, const Event& e, const Analyzer& analyzer,
                                     const WriterOptions& options, int decimals) {
    out = write_header_fields(out, e, analyzer.stats().first_ts, decimals);
    out = write_analysis_fields(out, e);
    return write_reading_fields(out, e, options, decimals);
}

void append_event_json(std::string& out, const Event& e, const Analyzer& analyzer, const WriterOptions& options,
                       int decimals) {
    json::append_record(out, 2 + event_fields_json_bound(e, options), [&](json::Writer& w) {
        w.open();
        w = write_event_fields_json(w, e, analyzer, options, decimals);
        w.close();
    });
}

}  // namespace tcpviz
