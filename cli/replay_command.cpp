#include "replay_command.h"
#include "command_error.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "tcpviz/analyzer.h"
#include "tcpviz/ladder_row.h"
#include "tcpviz/pcap_file.h"
#include "tcpviz/utf8.h"
#include "timeline_reader.h"

namespace tcpviz {
namespace {

// Paces the rows: sleeps for the time between two segments, scaled, capped,
// or waits for Enter in step mode.
class Pacer {
public:
    Pacer(const ReplayRequest& r, std::FILE* in, std::FILE* out) : r_(r), in_(in), out_(out) {}

    // Returns false when the user ended the replay (end of input in step mode).
    bool wait_for(Nanos t) {
        if (r_.step) {
            std::fputs("  [Enter: next segment]", out_);
            std::fflush(out_);
            char line[256];
            const bool more = std::fgets(line, sizeof line, in_) != nullptr;
            std::fputs("\r                        \r", out_);
            return more;
        }
        if (started_) {
            // In double: two times of a crafted timeline may be 2^64 ns apart.
            double gap = r_.every_ms > 0 ? r_.every_ms / 1000.0
                                         : (static_cast<double>(t) - static_cast<double>(last_)) / 1e9 / r_.speed;
            gap = std::min(std::max(gap, 0.0), r_.max_gap);
            if (gap > 0) std::this_thread::sleep_for(std::chrono::duration<double>(gap));
        }
        started_ = true;
        last_ = t;
        return true;
    }

private:
    const ReplayRequest& r_;
    std::FILE* in_;
    std::FILE* out_;
    bool started_ = false;
    Nanos last_ = 0;
};

bool emit(const std::string& text, std::FILE* out) {
    const bool ok = std::fwrite(text.data(), 1, text.size(), out) == text.size();
    std::fflush(out);  // a class watches it appear line by line
    return ok;
}

std::string number_or_unknown(const std::optional<std::uint32_t>& v) { return v ? std::to_string(*v) : "?"; }

std::string endpoint_text(const std::optional<TimelineEndpoint>& ep) {
    if (!ep) return "?";
    return (ep->ip.empty() ? "?" : ep->ip) + ":" + std::to_string(ep->port);
}

int replay_timeline(const ReplayRequest& r, std::FILE* in, std::FILE* out, std::FILE* err) {
    std::string error;
    const std::optional<Timeline> timeline = read_timeline_file(r.input, error);
    if (!timeline) return fail(err, r.input, error);

    const Lang lang = r.lang == "zh" ? Lang::zh : Lang::en;
    std::map<std::int64_t, std::pair<std::string, std::string>> endpoints;
    for (const TimelineConnection& c : timeline->connections) {
        endpoints[static_cast<std::int64_t>(c.id)] = {endpoint_text(c.client), endpoint_text(c.server)};
    }
    Pacer pacer(r, in, out);
    std::set<std::int64_t> announced;
    for (const TimelineEvent& e : timeline->events) {
        const LadderRow row = ladder_row_of_saved(e, lang);
        if (r.conn >= 0 && row.conn != r.conn) continue;
        if (!pacer.wait_for(row.t)) break;
        if (row.conn >= 0 && announced.insert(row.conn).second) {
            const auto found = endpoints.find(row.conn);
            const bool known = found != endpoints.end();
            emit(ladder_connection_header(row.conn, known ? found->second.first : "?",
                                          known ? found->second.second : "?", lang),
                 out);
        }
        if (!emit(format_ladder_row(row, r.notes), out)) return fail(err, "output", std::strerror(errno));
    }
    return 0;
}

int replay_capture(const ReplayRequest& r, std::FILE* in, std::FILE* out, std::FILE* err) {
    std::string error;
    auto file = PcapFile::open(r.input, error);
    if (!file) return fail(err, r.input, error);
    Analyzer analyzer(file->link_type());
    WriterOptions options;
    options.lang = r.lang == "zh" ? Lang::zh : Lang::en;
    Pacer pacer(r, in, out);
    std::set<long long> announced;
    PacketRecord record;
    std::string message;
    std::uint64_t frame = 0;
    while (true) {
        const auto status = file->next(record, message);
        if (status != PcapFile::Status::packet) {
            if (status != PcapFile::Status::end)
                std::fprintf(err, "tcpviz: warning: %s: %s\n", utf8::make_visible(r.input).c_str(),
                             utf8::make_visible(message).c_str());
            break;
        }
        const Event* e = analyzer.add(record, ++frame);
        if (!e || (r.conn >= 0 && e->conn != r.conn)) continue;
        const LadderRow row = ladder_row_of(*e, analyzer.stats().first_ts, options);
        if (!pacer.wait_for(row.t)) break;
        if (e->conn >= 0 && announced.insert(e->conn).second) {
            const Connection& c = analyzer.connections()[static_cast<std::size_t>(e->conn)];
            emit(ladder_connection_header(c.id, c.client.ip.to_string() + ":" + std::to_string(c.client.port),
                                          c.server.ip.to_string() + ":" + std::to_string(c.server.port), options.lang),
                 out);
        }
        if (!emit(format_ladder_row(row, r.notes), out)) return fail(err, "output", std::strerror(errno));
    }
    if (const std::string clamped = file->timestamp_warning(); !clamped.empty()) {
        std::fprintf(err, "tcpviz: warning: %s: %s\n", utf8::make_visible(r.input).c_str(), clamped.c_str());
    }
    return 0;
}

bool looks_like_json(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    char c = 0;
    while (f.get(c)) {
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return c == '{';
    }
    return false;
}

}  // namespace

// A ladder row from an event of a saved timeline, drawn as the text ladder
// draws the same event from a capture.
LadderRow ladder_row_of_saved(const TimelineEvent& e, Lang lang) {
    LadderRow row;
    row.frame = e.frame;
    row.t = static_cast<Nanos>(std::llround(e.t * 1e9));  // |t| < max_timeline_seconds: no overflow
    row.conn = e.conn;
    row.to_server = e.to_server;
    std::string flags;
    if (e.flags) {
        for (const std::string& f : *e.flags) flags += (flags.empty() ? "" : ",") + f;
    }
    row.label = flags.empty() ? "-" : flags;
    row.label += " seq=" + number_or_unknown(e.seq);
    if (flags.find("ACK") != std::string::npos) row.label += " ack=" + number_or_unknown(e.ack);
    const std::uint32_t len = e.len.value_or(0);
    if (len > 0) row.label += " len=" + std::to_string(len);
    row.label += " win=" + number_or_unknown(e.win);
    if (len > 0 && !e.payload.empty()) {
        // 16 bytes of the preview, not cutting a character (the ladder makes
        // every control character visible when it draws the row).
        std::string_view preview(e.payload);
        std::size_t cut = 0;
        while (cut < preview.size()) {
            const std::size_t n = std::max<std::size_t>(1, utf8::decode(preview, cut).length);
            if (cut + n > 16) break;
            cut += n;
        }
        row.label += " \"" + std::string(preview.substr(0, cut)) + "\"";
    }
    // The tags as the text ladder writes them from an Event: its findings in
    // their order (those the capture kept Wireshark from reporting too),
    // without the "retransmission" the timeline adds beside a fast or
    // spurious one, then truncated and malformed.
    std::set<std::string> found(e.analysis.begin(), e.analysis.end());
    found.insert(e.unreported_analysis.begin(), e.unreported_analysis.end());
    if (found.count("fast_retransmission") || found.count("spurious_retransmission")) found.erase("retransmission");
    for (std::string_view name : finding_names) {
        if (!found.count(std::string(name))) continue;
        if (!row.tags.empty()) row.tags += ' ';
        row.tags += "[" + std::string(name);
        if (name == "duplicate_ack" && e.dup_ack_num) row.tags += " #" + std::to_string(*e.dup_ack_num);
        row.tags += "]";
    }
    if (e.truncated) row.tags += std::string(row.tags.empty() ? "" : " ") + "[truncated]";
    if (e.malformed) row.tags += std::string(row.tags.empty() ? "" : " ") + "[malformed]";
    row.states = e.states;
    // The English sentence is in the file; other languages come from the id and numbers.
    const auto id = note_id_from_name(e.note_id);
    if (lang == Lang::en || !id) {
        row.note = e.note;
    } else {
        Note n;
        n.id = *id;
        n.side = row.to_server ? 0 : 1;
        if (e.note_args) std::copy(e.note_args->begin(), e.note_args->end(), n.args.begin());
        render_note(n, lang, row.note);
    }
    return row;
}

int run_replay(const ReplayRequest& request, std::FILE* in, std::FILE* out, std::FILE* err) {
    if (!(request.speed > 0)) return fail(err, request.input, "--speed must be above 0");
    return looks_like_json(request.input) ? replay_timeline(request, in, out, err)
                                          : replay_capture(request, in, out, err);
}

void add_replay_command(CLI::App& app) {
    auto request = std::make_shared<ReplayRequest>();
    CLI::App* cmd = app.add_subcommand("replay", "Replay a recorded session as an animated ladder in the terminal");
    cmd->add_option("input", request->input, "timeline JSON/NDJSON (tcpviz analyze) or a pcap/pcapng capture")
        ->required();
    cmd->add_option("--speed", request->speed, "replay speed: 2 = twice as fast as it happened (default 1)");
    cmd->add_option("--conn", request->conn, "only this connection");
    cmd->add_flag("--step", request->step, "wait for Enter before each segment");
    cmd->add_option("--every", request->every_ms, "a fixed pause between segments in ms, instead of real time");
    cmd->add_option("--max-gap", request->max_gap, "longest pause in seconds (default 3)");
    cmd->add_option("--lang", request->lang, "en or zh")->check(CLI::IsMember({"en", "zh"}));
    cmd->add_flag("!--no-notes", request->notes, "leave out the sentence under each segment");
    cmd->callback([request]() {
        const int code = run_replay(*request, stdin, stdout, stderr);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
