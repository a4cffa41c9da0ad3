// `tcpviz site OUTDIR CAPTURE|TIMELINE...`: a static site for a term's worth
// of captures: an index page listing each session (name, date, connections,
// segments, a sparkline of activity) linking to its self-contained report.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tcpviz {

struct SiteRequest {
    std::string out_dir;
    std::vector<std::string> inputs;  // captures or timeline JSON files
    std::string title = "TCP sessions";
};

// One listed session, as the index shows it.
struct SiteEntry {
    std::string name;  // file name without extension; also the report's name
    std::string date;  // first frame time (UTC), or empty
    std::size_t connections = 0;
    std::size_t segments = 0;
    double duration = 0;             // seconds
    std::vector<unsigned> activity;  // segments per time slice, for the sparkline
};

// The index page (pure: entries in, HTML out; every string escaped).
std::string site_index_html(const std::string& title, const std::vector<SiteEntry>& entries);

// A timeline JSON made safe to embed in a <script> element: re-serialised
// with <, >, &, U+2028 and U+2029 escaped inside strings.
std::string embeddable_json(const std::string& json_text, std::string& error);

int run_site(const SiteRequest& request, std::FILE* err);
void add_site_command(CLI::App& app);

}  // namespace tcpviz
