// `tcpviz lab`: the order of a lab, whichever scenario it is. Live: build the
// network, capture the programs, remove the network; then (live or on the
// student's own capture) the ladder, the questions, the check.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "ask.h"
#include "process.h"
#include "scenario.h"
#include "tcpviz/lab/lab.h"
#include "ui_text.h"

namespace tcpviz::lab {
namespace {

int error(std::FILE* err, const std::string& what, const std::string& reason) {
    std::fprintf(err, "tcpviz: error: %s: %s\n", what.c_str(), reason.c_str());
    return 2;
}

void heading(std::FILE* out, const Text& text, Lang lang) { std::fprintf(out, "\n-- %s\n", text.in(lang)); }

void list(Lang lang, std::FILE* out) {
    for (const Scenario* s : all_scenarios()) {
        std::fprintf(out, "%-20s %s  [%s]\n", s->name, s->topic.in(lang),
                     (s->needs_root ? ui::list_root : ui::list_loopback).in(lang));
    }
}

bool make_dirs(const std::string& path) {
    std::string partial;
    for (std::size_t i = 0; i <= path.size(); ++i) {
        if ((i == path.size() || path[i] == '/') && !partial.empty() && ::mkdir(partial.c_str(), 0755) != 0 &&
            errno != EEXIST) {
            return false;
        }
        if (i < path.size()) partial += path[i];
    }
    return true;
}

std::string output_directory(const LabRequest& r, std::string& why) {
    if (!r.out_dir.empty()) {
        if (!make_dirs(r.out_dir)) why = std::strerror(errno);
        return r.out_dir;
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/tcpviz-lab-" + r.scenario + ".XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) why = std::strerror(errno);
    return pattern;
}

// Prints the ladder of `pcap`, only the scenario's frames when it names some.
void print_ladder(const Scenario& s, const Timeline& t, const std::string& pcap, Lang lang, std::FILE* out) {
    std::string text;
    run_command({self_exe(), "analyze", pcap, "--format", "text", "--lang", lang == Lang::zh ? "zh" : "en", "--notes",
                 "--quiet"},
                &text);
    auto [first, last] = s.ladder ? s.ladder(t) : std::pair<long long, long long>{0, 0};
    const long long total = static_cast<long long>(t.events().size());
    constexpr long long most = 60;  // a screenful or two; the rest is in the pcap
    if (first <= 0) first = 1;
    if (last <= 0 || last > total) last = total;
    if (last - first + 1 > most) last = first + most - 1;
    bool show = true;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? text.size() : end + 1;
        long long frame = 0;
        double time = 0;
        char dot = 0;
        if (std::sscanf(line.c_str(), " %lld %lf%c", &frame, &time, &dot) == 3 && line.find('|') != std::string::npos) {
            show = frame >= first && frame <= last;
        } else if (line.rfind("# tcpviz", 0) == 0 || (!line.empty() && line[0] != ' ' && line[0] != '#') ||
                   line.rfind(" frame", 0) == 0) {
            std::fprintf(out, "%s\n", line.c_str());
            continue;
        } else if (!line.empty() && line[0] == '#') {
            show = false;
            continue;
        }
        if (show) std::fprintf(out, "%s\n", line.c_str());
    }
    if (first > 1 || last < total) {
        std::fprintf(out, "%s\n",
                     fill(ui::ladder_cut, lang,
                          {{"first", num(first)}, {"last", num(last)}, {"total", num(total)}, {"pcap", pcap}})
                         .c_str());
    }
}

// Whether a file is a JSON timeline rather than a capture: its first byte.
bool is_timeline(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return false;
    int c;
    while ((c = std::fgetc(f)) == ' ' || c == '\n' || c == '\t' || c == '\r') {
    }
    std::fclose(f);
    return c == '{';
}

// Builds the path, runs the programs under capture, removes the path.
int run_live(const Scenario& s, const LabRequest& r, Lang lang, const std::string& dir, std::FILE* out, std::FILE* err,
             std::string& pcap, std::string& timeline) {
    const bool root = ::geteuid() == 0;
    if (s.needs_root && !root) return error(err, s.name, ui::needs_root.in(lang));
    remove_stale_namespaces();
    Session session(lang, root, dir, s.name, r.cc);
    try {
        s.run(session);
    } catch (const Interrupted&) {
        std::fprintf(out, "\n%s\n", ui::interrupted.in(lang));
        return 130;
    } catch (const std::exception& e) {
        return error(err, s.name, fill(ui::failed, lang, {{"why", e.what()}}));
    }
    heading(out, ui::setup, lang);
    for (const std::string& c : session.net().commands()) std::fprintf(out, "  %s\n", c.c_str());
    for (const std::string& n : session.notes()) std::fprintf(out, "  %s\n", n.c_str());
    pcap = session.pcap();
    timeline = session.timeline();
    return 0;
}

}  // namespace

int run_lab(const LabRequest& r, const HtmlWriter& html, std::FILE* out, std::FILE* err, std::FILE* in) {
    const Lang lang = r.lang == "zh" ? Lang::zh : Lang::en;
    if (r.list) {
        list(lang, out);
        return 0;
    }
    const Scenario* s = find_scenario(r.scenario);
    if (s == nullptr) return error(err, r.scenario.empty() ? "lab" : r.scenario, ui::unknown.in(lang));
    InterruptGuard guard;
    std::string why;
    const std::string dir = output_directory(r, why);
    if (!why.empty()) return error(err, dir, why);

    std::fprintf(out, "== %s\n%s\n", s->title.in(lang), fill(ui::topic, lang, {{"topic", s->topic.in(lang)}}).c_str());
    std::string pcap, timeline_path;
    if (r.capture.empty()) {
        heading(out, ui::what_happens, lang);
        std::fprintf(out, "%s\n", s->intro.in(lang));
        std::fflush(out);
        const int code = run_live(*s, r, lang, dir, out, err, pcap, timeline_path);
        if (code != 0) return code;
    } else {
        pcap = r.capture;
        timeline_path = dir + "/" + s->name + ".json";
        if (is_timeline(r.capture)) {
            // A timeline a live lab or `tcpviz capture --timeline` wrote: it has the
            // kernel's samples; its ladder comes from the pcap it names.
            timeline_path = r.capture;
            pcap.clear();
        } else {
            std::string output;
            if (run_command({self_exe(), "analyze", pcap, "--format", "json", "-o", timeline_path, "--quiet"},
                            &output) != 0) {
                std::fprintf(err, "%s", output.c_str());
                return 2;
            }
        }
        std::fprintf(out, "%s\n", fill(ui::own_capture, lang, {{"path", r.capture}}).c_str());
    }
    std::string load_error;
    const std::optional<Timeline> t = Timeline::load(timeline_path, load_error);
    if (!t) return error(err, timeline_path, load_error);

    if (pcap.empty() && ::access(t->source().c_str(), R_OK) == 0) pcap = t->source();
    if (!pcap.empty()) {
        heading(out, ui::ladder, lang);
        print_ladder(*s, *t, pcap, lang, out);
    }
    heading(out, ui::look_for, lang);
    std::fprintf(out, "%s\n", s->look_for.in(lang));
    heading(out, ui::questions, lang);
    try {
        ask_questions(*s, *t, AskOptions{lang, r.pause, r.quiz}, out, in);
    } catch (const Interrupted&) {
        return 130;
    }

    const Verdict v = s->check(*t);
    heading(out, ui::verdict, lang);
    std::fprintf(out, "%s\n",
                 fill(v.seen ? ui::seen : ui::not_seen, lang, {{"text", fill(v.message, lang, v.vars)}}).c_str());

    heading(out, ui::files, lang);
    if (r.capture.empty() && !pcap.empty())
        std::fprintf(out, "%s\n", fill(ui::file_pcap, lang, {{"path", pcap}}).c_str());
    std::fprintf(out, "%s\n", fill(ui::file_timeline, lang, {{"path", timeline_path}, {"pcap", pcap}}).c_str());
    std::fflush(out);  // an error line below comes after what was printed
    if (r.html) {
        const std::string report = dir + "/" + s->name + ".html";
        std::string html_error;
        if (!html(timeline_path, report, html_error)) return error(err, report, html_error);
        std::fprintf(out, "%s\n", fill(ui::file_html, lang, {{"path", report}}).c_str());
    }
    return v.seen ? 0 : 1;
}

}  // namespace tcpviz::lab
