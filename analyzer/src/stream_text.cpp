#include "tcpviz/stream_text.h"

#include <map>
#include <utility>

#include "tcpviz/layer_names.h"
#include "tcpviz/layers_text.h"
#include "tcpviz/utf8.h"

namespace tcpviz {
namespace {

constexpr std::size_t min_run = 8;  // a run of this many equal control bytes is shown counted

bool is_control(unsigned char c) { return (c < 0x20 && c != '\n') || c == 0x7F; }

std::string seconds(Nanos ts, Nanos origin) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(ts - origin) / 1e9);
    return buf;
}

class StreamTextWriter final : public TimelineWriter {
public:
    StreamTextWriter(std::FILE* out, const WriterOptions& options) : sink_(out), lang_(options.lang) {}

    void begin(const TimelineSource& source) override {
        sink_.append(fill_placeholders(stream_word("title", lang_), {{"file", utf8::make_visible(source.file)}}) +
                     "\n");
        sink_.append(std::string(stream_word("legend", lang_)) + "\n");
    }

    void event(const Event& e, const Analyzer& analyzer) override {
        if (first_ts_ < 0) first_ts_ = analyzer.stats().first_ts;
        if (e.conn < 0) return;
        streams_[{e.conn, e.dir}].add(e);
    }

    void end(const Analyzer& analyzer, const std::vector<std::string>&) override {
        if (first_ts_ < 0) first_ts_ = analyzer.stats().first_ts;
        if (streams_.empty()) sink_.append(std::string(stream_word("no_connections", lang_)) + "\n");
        for (auto& [key, assembler] : streams_) {
            assembler.finish();
            write_direction(analyzer.connections()[static_cast<std::size_t>(key.first)], key.first, key.second,
                            assembler);
        }
        sink_.flush();
    }

private:
    std::string word(std::string_view id,
                     std::initializer_list<std::pair<std::string_view, std::string>> values) const {
        return fill_placeholders(stream_word(id, lang_), values);
    }

    void write_direction(const Connection& c, std::int64_t conn, Direction dir, const StreamAssembler& s) {
        const bool c2s = dir == Direction::c2s;
        const Endpoint& from = c2s ? c.client : c.server;
        const Endpoint& to = c2s ? c.server : c.client;
        std::string out = "\n" +
                          word("heading", {{"conn", std::to_string(conn)},
                                           {"from_side", std::string(stream_word(c2s ? "client" : "server", lang_))},
                                           {"from", endpoint(from)},
                                           {"to_side", std::string(stream_word(c2s ? "server" : "client", lang_))},
                                           {"to", endpoint(to)},
                                           {"bytes", std::to_string(s.delivered_bytes())}}) +
                          "\n";
        if (s.delivered_bytes() == 0 && s.pieces().empty()) out += std::string(stream_word("no_data", lang_)) + "\n";
        for (const StreamPiece& p : s.pieces()) {
            append_piece(out, p);
            if (out.size() > (1 << 16)) {
                sink_.append(out);
                sink_.maybe_flush();
                out.clear();
            }
        }
        sink_.append(out);
        sink_.maybe_flush();
    }

    static std::string endpoint(const Endpoint& e) {
        const std::string ip = e.ip.to_string();
        return (e.ip.version == 6 ? "[" + ip + "]" : ip) + ":" + std::to_string(e.port);
    }

    void append_piece(std::string& out, const StreamPiece& p) const {
        const std::string frame = std::to_string(p.frame);
        const std::string t = seconds(p.ts, first_ts_);
        const std::string first = std::to_string(p.seq);
        const std::string last = std::to_string(p.seq + (p.length ? p.length - 1 : 0));
        const std::string n = std::to_string(p.length);
        switch (p.kind) {
            case StreamPiece::Kind::repeat:
                out += word("repeat", {{"frame", frame}, {"t", t}, {"first", first}, {"last", last}}) + "\n";
                return;
            case StreamPiece::Kind::gap:
                out += word("gap", {{"first", first}, {"last", last}, {"n", n}}) + "\n";
                return;
            case StreamPiece::Kind::fin: out += word("fin", {{"frame", frame}, {"t", t}}) + "\n"; return;
            case StreamPiece::Kind::rst: out += word("rst", {{"frame", frame}, {"t", t}}) + "\n"; return;
            case StreamPiece::Kind::data: break;
        }
        out += word("data", {{"frame", frame}, {"t", t}, {"first", first}, {"last", last}, {"n", n}});
        const std::string_view separator = stream_word("separator", lang_);
        if (p.arrived_early) {
            out += std::string(separator) + (p.released_by ? word("early", {{"by", std::to_string(p.released_by)}})
                                                           : std::string(stream_word("early_never", lang_)));
        }
        if (p.retransmission) out += std::string(separator) + std::string(stream_word("retransmission", lang_));
        if (p.out_of_order) out += std::string(separator) + std::string(stream_word("fills_gap", lang_));
        out += "]\n";
        append_stream_bytes(out, p.bytes);
        if (p.bytes.size() < p.length)
            out += "  " + word("cut", {{"n", std::to_string(p.length - p.bytes.size())}}) + "\n";
    }

    OutputSink sink_;
    Lang lang_;
    Nanos first_ts_ = -1;
    std::map<std::pair<std::int64_t, Direction>, StreamAssembler> streams_;
};

}  // namespace

void append_stream_bytes(std::string& out, std::string_view bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
        out += "  ";
        std::size_t plain = i;  // start of the bytes not yet written
        for (; i < bytes.size() && bytes[i] != '\n'; ++i) {
            const auto c = static_cast<unsigned char>(bytes[i]);
            if (!is_control(c)) continue;
            std::size_t run = i;
            while (run < bytes.size() && bytes[run] == bytes[i]) ++run;
            if (run - i < min_run) {
                i = run - 1;
                continue;
            }
            utf8::append_visible(bytes.substr(plain, i - plain), out);
            utf8::append_visible(bytes.substr(i, 1), out);
            out += "\u00d7" + std::to_string(run - i);
            plain = run;
            i = run - 1;
        }
        utf8::append_visible(bytes.substr(plain, i - plain), out);
        if (i < bytes.size()) {
            out += "\\n";
            ++i;
        }
        out += '\n';
    }
}

std::unique_ptr<TimelineWriter> make_stream_text_writer(std::FILE* out, const WriterOptions& options) {
    return std::make_unique<StreamTextWriter>(out, options);
}

}  // namespace tcpviz
