// The JSON timeline (version 1) and its NDJSON form. Field names are the
// contract in analyzer/timeline.schema.json; add fields freely, never rename
// one without bumping the version.
//
// Each event is written as it comes, straight into the sink's buffer; the
// connections and stats at the end.
#include "tcpviz/json_text.h"
#include "tcpviz/timeline_writer.h"
#include "timeline_json_parts.h"

namespace tcpviz {
namespace {

std::size_t source_json_bound(const TimelineSource& source) {
    return 80 + json::string_bound(source.file.size()) + json::string_bound(link_type_name(source.link_type).size());
}

json::Writer write_source_json(json::Writer out, const TimelineSource& source) {
    out.open();
    out.key("file");
    out.string(source.file);
    out.key("link_type");
    out.string(link_type_name(source.link_type));
    out.key("generator");
    out.name("tcpviz");
    out.close();
    return out;
}

// What both JSON writers share: the sink, the options, and the event and
// connection records.
class JsonWriterBase : public TimelineWriter {
protected:
    JsonWriterBase(std::FILE* out, const WriterOptions& options) : sink_(out), options_(options) {}

    // One event object between `before` and `after` (literals: copied with
    // no call to memcpy); `type` adds NDJSON's "type" member.
    template <std::size_t B, std::size_t A>
    void write_event(const Event& e, const Analyzer& analyzer, const char (&before)[B], bool type,
                     const char (&after)[A]) {
        const std::size_t bound = B + 20 + event_fields_json_bound(e, options_) + A;
        json::write_record(sink_, bound, [&](json::Writer& out) {
            out.raw(before);
            out.open();
            if (type) {
                out.key("type");
                out.name("event");
            }
            out = write_event_fields_json(out, e, analyzer, options_, decimals_);
            out.close();
            out.raw(after);
        });
    }

    // One connection object (with what WriterOptions::connection_extra
    // adds) between `before` and `after`.
    void write_connection(const Connection& c, const Analyzer& analyzer, std::string_view before, bool type,
                          std::string_view after) {
        text_.clear();
        const std::size_t bound = before.size() + 30 + connection_json_bound(c);
        json::append_record(text_, bound, [&](json::Writer& out) {
            out.raw(before);
            out.open();
            if (type) {
                out.key("type");
                out.name("connection");
            }
            out = write_connection_fields_json(out, c, analyzer.stats().first_ts, decimals_);
        });
        if (options_.connection_extra) options_.connection_extra(text_, c);
        text_ += '}';
        text_ += after;
        sink_.append(text_);
        sink_.maybe_flush();
    }

    OutputSink sink_;
    WriterOptions options_;
    int decimals_ = 6;
    std::string text_;  // scratch for the connection records
};

class JsonWriter : public JsonWriterBase {
public:
    JsonWriter(std::FILE* out, const WriterOptions& options) : JsonWriterBase(out, options) {}

    void begin(const TimelineSource& source) override {
        decimals_ = source.time_decimals;
        json::write_record(sink_, 80 + source_json_bound(source), [&](json::Writer& out) {
            out.open();
            out.key("format");
            out.name("tcpviz-timeline");
            out.key("version");
            out.uint(1);
            out.key("source");
            out = write_source_json(out, source);
            out.raw(",\n\"events\":[\n");
        });
    }
    void event(const Event& e, const Analyzer& analyzer) override {
        // Each event on its own line, after a comma from the second on.
        if (count_++ > 0) write_event(e, analyzer, ",\n", false, "");
        else write_event(e, analyzer, "", false, "");
    }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        sink_.append("\n],\n\"connections\":[\n");
        bool first = true;
        for (const Connection& c : analyzer.connections()) {
            write_connection(c, analyzer, first ? "" : ",\n", false, "");
            first = false;
        }
        json::write_record(sink_, 40 + stats_json_bound(warnings), [&](json::Writer& out) {
            out.raw("\n],\n\"stats\":");
            out.open();
            out = write_stats_fields_json(out, analyzer, warnings);
            out.close();
            out.raw("}\n");
        });
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
        json::write_record(sink_, 100 + source_json_bound(source), [&](json::Writer& out) {
            out.open();
            out.key("type");
            out.name("header");
            out.key("format");
            out.name("tcpviz-timeline");
            out.key("version");
            out.uint(1);
            out.key("source");
            out = write_source_json(out, source);
            out.close();
            out.raw("\n");
        });
    }
    void event(const Event& e, const Analyzer& analyzer) override { write_event(e, analyzer, "", true, "\n"); }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        for (const Connection& c : analyzer.connections()) {
            write_connection(c, analyzer, "", true, "\n");
        }
        json::write_record(sink_, 40 + stats_json_bound(warnings), [&](json::Writer& out) {
            out.open();
            out.key("type");
            out.name("stats");
            out = write_stats_fields_json(out, analyzer, warnings);
            out.close();
            out.raw("\n");
        });
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
