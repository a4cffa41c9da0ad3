#include "command_error.h"
#include "replay_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <map>
#include <set>
#include <thread>

#include "tcpviz/analyzer.h"
#include "tcpviz/ladder_row.h"
#include "tcpviz/pcap_file.h"

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
            double gap = r_.every_ms > 0 ? r_.every_ms / 1000.0 : static_cast<double>(t - last_) / 1e9 / r_.speed;
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

// A ladder row from an event of a saved timeline.
LadderRow row_from_json(const nlohmann::json& e, Lang lang) {
    LadderRow row;
    row.frame = e.value("frame", 0ULL);
    row.t = static_cast<Nanos>(e.value("t", 0.0) * 1e9 + 0.5);
    row.conn = e["conn"].is_number() ? e["conn"].get<long long>() : -1;
    row.to_server = e.value("dir", std::string("c2s")) == "c2s";
    std::string flags;
    if (e["flags"].is_array()) {
        for (const auto& f : e["flags"]) flags += (flags.empty() ? "" : ",") + f.get<std::string>();
    }
    row.label = flags.empty() ? "-" : flags;
    auto number = [&e](const char* key) -> std::string {
        return e.contains(key) && e[key].is_number() ? std::to_string(e[key].get<unsigned long long>()) : "?";
    };
    row.label += " seq=" + number("seq");
    if (flags.find("ACK") != std::string::npos) row.label += " ack=" + number("ack");
    const unsigned long long len = e.contains("len") && e["len"].is_number() ? e["len"].get<unsigned long long>() : 0;
    if (len > 0) row.label += " len=" + number("len");
    row.label += " win=" + number("win");
    const std::string payload = e.value("payload", std::string());
    if (len > 0 && !payload.empty()) row.label += " \"" + payload.substr(0, 16) + "\"";
    // The tags as the text ladder writes them from an Event: its findings in
    // their order (those the capture kept Wireshark from reporting too),
    // without the "retransmission" the timeline adds beside a fast or
    // spurious one, then truncated and malformed.
    std::set<std::string> found;
    for (const char* list : {"analysis", "unreported_analysis"}) {
        if (!e.contains(list) || !e[list].is_array()) continue;
        for (const auto& a : e[list]) {
            if (a.is_string()) found.insert(a.get<std::string>());
        }
    }
    if (found.count("fast_retransmission") || found.count("spurious_retransmission")) found.erase("retransmission");
    for (std::string_view name : finding_names) {
        if (!found.count(std::string(name))) continue;
        if (!row.tags.empty()) row.tags += ' ';
        row.tags += "[" + std::string(name);
        if (name == "duplicate_ack" && e.contains("dup_ack")) row.tags += " #" + std::to_string(e["dup_ack"].value("num", 0));
        row.tags += "]";
    }
    for (const char* flag : {"truncated", "malformed"}) {
        if (e.value(flag, false)) row.tags += std::string(row.tags.empty() ? "" : " ") + "[" + flag + "]";
    }
    if (e.contains("states")) {
        for (const auto& sc : e["states"]) {
            row.states.emplace_back(sc.value("side", std::string()) == "server" ? Side::server : Side::client,
                                    sc.value("to", std::string()));
        }
    }
    // The English sentence is in the file; other languages come from the id and numbers.
    const auto id = note_id_from_name(e.value("note_id", std::string()));
    if (lang == Lang::en || !id) {
        row.note = e.value("note", std::string());
    } else {
        Note n;
        n.id = *id;
        n.side = row.to_server ? 0 : 1;
        if (e.contains("note_args") && e["note_args"].is_array() && e["note_args"].size() == 3) {
            for (std::size_t i = 0; i < 3; ++i) n.args[i] = e["note_args"][i].get<std::uint32_t>();
        }
        render_note(n, lang, row.note);
    }
    return row;
}

std::string endpoint_text(const nlohmann::json& ep) {
    return ep.value("ip", std::string("?")) + ":" + std::to_string(ep.value("port", 0));
}

int replay_timeline(const ReplayRequest& r, std::FILE* in, std::FILE* out, std::FILE* err) {
    std::ifstream file(r.input, std::ios::binary);
    if (!file) return fail(err, r.input, std::strerror(errno));
    nlohmann::json timeline;
    try {
        // A JSON document, or NDJSON lines (header, events, connections, stats).
        const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        if (text.find("\"type\":\"header\"") != std::string::npos) {
            timeline = {{"events", nlohmann::json::array()}, {"connections", nlohmann::json::array()}};
            std::size_t start = 0;
            while (start < text.size()) {
                std::size_t end = text.find('\n', start);
                if (end == std::string::npos) end = text.size();
                if (end > start) {
                    auto line = nlohmann::json::parse(text.substr(start, end - start));
                    const std::string type = line.value("type", std::string());
                    if (type == "event") timeline["events"].push_back(line);
                    else if (type == "connection") timeline["connections"].push_back(line);
                    else if (type == "header") timeline["format"] = line.value("format", ""), timeline["version"] = line.value("version", 0);
                }
                start = end + 1;
            }
        } else {
            timeline = nlohmann::json::parse(text);
        }
    } catch (const nlohmann::json::exception& e) {
        return fail(err, r.input, std::string("not valid JSON: ") + e.what());
    }
    if (!timeline.is_object() || timeline.value("format", std::string()) != "tcpviz-timeline") {
        return fail(err, r.input, "not a tcpviz timeline (no \"format\": \"tcpviz-timeline\")");
    }
    if (timeline.value("version", 0) != 1) return fail(err, r.input, "timeline version is not 1");
    if (!timeline.contains("events") || !timeline["events"].is_array()) return fail(err, r.input, "timeline has no events");

    const Lang lang = r.lang == "zh" ? Lang::zh : Lang::en;
    std::map<long long, std::pair<std::string, std::string>> endpoints;
    if (timeline.contains("connections") && timeline["connections"].is_array()) {
        for (const auto& c : timeline["connections"]) {
            endpoints[c.value("id", -1LL)] = {endpoint_text(c.value("client", nlohmann::json::object())),
                                              endpoint_text(c.value("server", nlohmann::json::object()))};
        }
    }
    Pacer pacer(r, in, out);
    std::set<long long> announced;
    try {
        for (const auto& e : timeline["events"]) {
            const LadderRow row = row_from_json(e, lang);
            if (r.conn >= 0 && row.conn != r.conn) continue;
            if (!pacer.wait_for(row.t)) break;
            if (row.conn >= 0 && announced.insert(row.conn).second) {
                const auto& [client, server] = endpoints[row.conn];
                emit(ladder_connection_header(row.conn, client.empty() ? "?" : client, server.empty() ? "?" : server, lang), out);
            }
            if (!emit(format_ladder_row(row, r.notes), out)) return fail(err, "output", std::strerror(errno));
        }
    } catch (const nlohmann::json::exception& e) {
        return fail(err, r.input, std::string("unexpected timeline content: ") + e.what());
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
            if (status != PcapFile::Status::end) std::fprintf(err, "tcpviz: warning: %s: %s\n", r.input.c_str(), message.c_str());
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

int run_replay(const ReplayRequest& request, std::FILE* in, std::FILE* out, std::FILE* err) {
    if (!(request.speed > 0)) return fail(err, request.input, "--speed must be above 0");
    return looks_like_json(request.input) ? replay_timeline(request, in, out, err)
                                          : replay_capture(request, in, out, err);
}

void add_replay_command(CLI::App& app) {
    auto request = std::make_shared<ReplayRequest>();
    CLI::App* cmd = app.add_subcommand("replay", "Replay a recorded session as an animated ladder in the terminal");
    cmd->add_option("input", request->input, "timeline JSON/NDJSON (tcpviz analyze) or a pcap/pcapng capture")->required();
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
