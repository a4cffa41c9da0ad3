// The built page (web/dist), read into memory once at start-up. Requests are
// answered from this list by exact name: no part of a request's path ever
// reaches the file system, so "..", "%2e%2e", encoded slashes and symlinks
// have nothing to walk.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tcpviz::serve {

struct PageFile {
    std::string content;
    std::string mime;
};

struct PageFiles {
    std::map<std::string, PageFile> files;  // "index.html", "tcpviz.js", ... (no leading '/')
    std::string csp;                        // the Content-Security-Policy of index.html's meta tag
    std::string dir;                        // where they were read from (for the start-up message)

    const PageFile* find(const std::string& name) const;
};

// Reads every regular file under `dir` (symlinks are skipped, so nothing
// outside it is read), at most 64 MiB in all. nullopt with `error` set when
// the directory has no index.html.
std::optional<PageFiles> load_page_files(const std::string& dir, std::string& error);

// Where the built page may be, in the order to try: $TCPVIZ_WEB_DIR/dist
// alone when it is set; else next to the executable (../web/dist, then
// ../share/tcpviz/web as installed), then, for a tcpviz run from its build
// tree only, the source tree's web/dist.
std::vector<std::string> web_dir_candidates();

// Loads the first of web_dir_candidates() that has an index.html.
std::optional<PageFiles> find_page_files(std::string& error);

// The content of <meta http-equiv="Content-Security-Policy" content="...">.
std::string csp_of_page(const std::string& html);

}  // namespace tcpviz::serve
