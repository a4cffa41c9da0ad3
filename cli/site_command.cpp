#include "site_command.h"
#include "command_error.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analyze_command.h"
#include "html_report.h"
#include "timeline_reader.h"

namespace tcpviz {
namespace {

constexpr std::size_t sparkline_slices = 48;

std::string base_name(const std::string& path) {
    const auto slash = path.rfind('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const auto dot = name.rfind('.');
    if (dot != std::string::npos && dot > 0) name = name.substr(0, dot);
    // Keep file names portable: letters, digits, - _ . only.
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
    }
    return name.empty() ? "session" : name;
}

std::string lower_case(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool read_text(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
    return true;
}

bool write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out);
}

bool is_json_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    char c = 0;
    while (f.get(c)) {
        if (!std::isspace(static_cast<unsigned char>(c))) return c == '{';
    }
    return false;
}

SiteEntry entry_from_timeline(const std::string& name, const Timeline& t) {
    SiteEntry e;
    e.name = name;
    e.segments = t.events.size();
    e.connections = t.connections.size();
    if (t.stats) {
        e.date = t.stats->first_frame_time;
        e.duration = t.stats->duration;
    }
    if (e.duration <= 0 && !t.events.empty()) e.duration = t.events.back().t;
    e.activity.assign(sparkline_slices, 0);
    for (const TimelineEvent& ev : t.events) {
        // Times are in range (the reader checked them), but a hand-made file
        // may put an event before the start or after the stated duration.
        const double share = e.duration > 0 ? ev.t / e.duration : 0;
        const auto slice = share > 0 ? static_cast<std::size_t>(std::min(share, 1.0) * sparkline_slices) : 0;
        ++e.activity[std::min(slice, sparkline_slices - 1)];
    }
    return e;
}

std::string sparkline_svg(const std::vector<unsigned>& activity) {
    const unsigned peak = activity.empty() ? 0 : *std::max_element(activity.begin(), activity.end());
    std::string points;
    for (std::size_t i = 0; i < activity.size(); ++i) {
        const double x = static_cast<double>(i) * 120.0 / std::max<std::size_t>(1, activity.size() - 1);
        const double y = peak ? 22.0 - 20.0 * activity[i] / peak : 22.0;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.1f,%.1f", points.empty() ? "" : " ", x, y);
        points += buf;
    }
    return "<svg class=\"spark\" viewBox=\"0 0 120 24\" width=\"120\" height=\"24\" aria-hidden=\"true\">"
           "<polyline points=\"" +
           points + "\"/></svg>";
}

}  // namespace

std::string embeddable_json(const std::string& json_text, std::string& error) {
    nlohmann::json parsed;
    try {
        parsed = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {
        error = std::string("not valid JSON: ") + e.what();
        return {};
    }
    // Outside strings JSON has none of these characters, so replacing them
    // everywhere only touches string contents.
    const std::string dumped = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out;
    out.reserve(dumped.size());
    for (std::size_t i = 0; i < dumped.size(); ++i) {
        const char c = dumped[i];
        if (c == '<') out += "\\u003c";
        else if (c == '>') out += "\\u003e";
        else if (c == '&') out += "\\u0026";
        else if (c == '\xE2' && i + 2 < dumped.size() && dumped[i + 1] == '\x80' &&
                 (dumped[i + 2] == '\xA8' || dumped[i + 2] == '\xA9')) {
            out += dumped[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string site_index_html(const std::string& title, const std::vector<SiteEntry>& entries) {
    std::string h;
    h += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "img-src data:\">\n";
    h += "<title>" + html_escape(title) + "</title>\n";
    h += "<style>\n"
         ":root{color-scheme:light dark;--fg:#1d2430;--bg:#fbfbfd;--muted:#5b6475;--line:#d5d9e2;--accent:#1f6feb}\n"
         "@media "
         "(prefers-color-scheme:dark){:root{--fg:#e6e9ef;--bg:#12151c;--muted:#9aa3b2;--line:#2c3342;--accent:#58a6ff}}"
         "\n"
         "body{font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:2rem "
         "auto;max-width:60rem;padding:0 1rem}\n"
         "h1{font-size:1.6rem}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.5rem;border-"
         "bottom:1px solid var(--line)}\n"
         "th{color:var(--muted);font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}a{color:var(--"
         "accent)}\n"
         ".spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5}\n"
         "</style>\n</head>\n<body>\n";
    h += "<h1>" + html_escape(title) + "</h1>\n";
    h += "<p>" + std::to_string(entries.size()) + " session" + (entries.size() == 1 ? "" : "s") +
         ". Each opens as a sequence diagram of its TCP segments, offline.</p>\n";
    h += "<table>\n<thead><tr><th>session</th><th>date (UTC)</th><th class=\"n\">connections</th>"
         "<th class=\"n\">segments</th><th class=\"n\">seconds</th><th>activity</th></tr></thead>\n<tbody>\n";
    for (const SiteEntry& e : entries) {
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.3f", e.duration);
        h += "<tr><td><a href=\"" + html_escape(e.name) + ".html\">" + html_escape(e.name) + "</a></td>";
        h += "<td>" + html_escape(e.date) + "</td>";
        h += "<td class=\"n\">" + std::to_string(e.connections) + "</td>";
        h += "<td class=\"n\">" + std::to_string(e.segments) + "</td>";
        h += "<td class=\"n\">" + std::string(duration) + "</td>";
        h += "<td>" + sparkline_svg(e.activity) + "</td></tr>\n";
    }
    h += "</tbody>\n</table>\n<p><small>Made by tcpviz site.</small></p>\n</body>\n</html>\n";
    return h;
}

int run_site(const SiteRequest& request, std::FILE* err) {
    if (request.inputs.empty()) return fail(err, request.out_dir, "no captures or timelines given");
    if (::mkdir(request.out_dir.c_str(), 0755) != 0 && errno != EEXIST) {
        return fail(err, request.out_dir, std::strerror(errno));
    }
    std::string error;
    const auto tmpl = load_report_template(error);
    if (!tmpl) return fail(err, request.out_dir, error);

    std::vector<SiteEntry> entries;
    // Report names, in lower case (a site copied to a case-insensitive disk
    // must not collide either). "index" is the site's own page: a capture
    // named index.pcap becomes index-2.html, never the index.
    std::vector<std::string> used = {"index"};
    auto taken = [&used](const std::string& name) {
        return std::find(used.begin(), used.end(), lower_case(name)) != used.end();
    };
    for (const std::string& input : request.inputs) {
        std::string name = base_name(input);
        for (int n = 2; taken(name); ++n) name = base_name(input) + "-" + std::to_string(n);
        used.push_back(lower_case(name));
        const std::string json_path = request.out_dir + "/" + name + ".json";
        const std::string html_path = request.out_dir + "/" + name + ".html";
        std::string text;
        std::optional<Timeline> timeline;
        if (is_json_file(input)) {
            if (!read_text(input, text)) return fail(err, input, std::strerror(errno));
            // Checked before anything is written: a timeline of the wrong
            // shape is a one-line error, not a broken site.
            timeline = read_timeline(text, error);
            if (!timeline) return fail(err, input, error);
            if (timeline->ndjson)
                return fail(err, input, "an NDJSON timeline; a report needs the JSON one (tcpviz analyze -o X.json)");
            std::string safe = embeddable_json(text, error);
            if (safe.empty()) return fail(err, input, error);
            if (!write_text(json_path, text) || !write_text(html_path, tmpl->before + safe + tmpl->after)) {
                return fail(err, request.out_dir, std::strerror(errno));
            }
        } else {
            AnalyzeRequest analyze;
            analyze.capture = input;
            analyze.output = json_path;
            analyze.html = html_path;
            analyze.quiet = true;
            const int code = run_analyze(analyze, err);
            if (code != 0) return code;
            if (!read_text(json_path, text)) return fail(err, json_path, std::strerror(errno));
            timeline = read_timeline(text, error);
            if (!timeline) return fail(err, json_path, error);
        }
        entries.push_back(entry_from_timeline(name, *timeline));
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const SiteEntry& a, const SiteEntry& b) { return a.date < b.date; });
    const std::string index = request.out_dir + "/index.html";
    if (!write_text(index, site_index_html(request.title, entries))) return fail(err, index, std::strerror(errno));
    std::fprintf(err, "tcpviz site: %zu sessions in %s (open %s)\n", entries.size(), request.out_dir.c_str(),
                 index.c_str());
    return 0;
}

void add_site_command(CLI::App& app) {
    auto request = std::make_shared<SiteRequest>();
    CLI::App* cmd =
        app.add_subcommand("site", "Build a static site: an index of sessions, each a self-contained report");
    cmd->add_option("outdir", request->out_dir, "directory to write the site into")->required();
    cmd->add_option("inputs", request->inputs, "captures (pcap/pcapng) or timeline JSON files")->required();
    cmd->add_option("--title", request->title, "title of the index page");
    cmd->callback([request]() {
        const int code = run_site(*request, stderr);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
