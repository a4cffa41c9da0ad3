#include "tcpviz/serve/page_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace tcpviz::serve {
namespace {

constexpr std::uintmax_t max_total_bytes = 64u << 20;

std::string mime_of(const std::string& name) {
    static const std::pair<const char*, const char*> types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".map", "application/json; charset=utf-8"},
    };
    for (const auto& [ext, type] : types) {
        const std::string e = ext;
        if (name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return type;
    }
    return "application/octet-stream";
}

std::string executable_path() {
    char path[4096];
    const ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    return n > 0 ? std::string(path, static_cast<std::size_t>(n)) : std::string{};
}

// True when `path` lies inside `dir` (both made absolute and normal first).
bool is_inside(const std::string& path, const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(path, ec);
    if (ec) return false;
    const fs::path d = fs::weakly_canonical(dir, ec);
    if (ec) return false;
    const fs::path rel = p.lexically_relative(d);
    return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

const PageFile* PageFiles::find(const std::string& name) const {
    const auto it = files.find(name);
    return it == files.end() ? nullptr : &it->second;
}

std::string csp_of_page(const std::string& html) {
    const std::string marker = "http-equiv=\"Content-Security-Policy\" content=\"";
    const auto at = html.find(marker);
    if (at == std::string::npos) return {};
    const auto start = at + marker.size();
    const auto end = html.find('"', start);
    return end == std::string::npos ? std::string{} : html.substr(start, end - start);
}

std::optional<PageFiles> load_page_files(const std::string& dir, std::string& error) {
    namespace fs = std::filesystem;
    PageFiles page;
    page.dir = dir;
    std::error_code ec;
    std::uintmax_t total = 0;
    fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
    if (ec) {
        error = dir + ": " + ec.message();
        return std::nullopt;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        const fs::directory_entry& entry = *it;
        // symlink_status: a link is skipped, never followed.
        if (!fs::is_regular_file(entry.symlink_status(ec))) continue;
        const std::string name = fs::relative(entry.path(), dir, ec).generic_string();
        if (ec || name.empty() || name == "report-template.html") continue;
        total += entry.file_size(ec);
        if (total > max_total_bytes) {
            error = dir + ": more than 64 MiB of page files";
            return std::nullopt;
        }
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        page.files[name] = PageFile{text.str(), mime_of(name)};
    }
    const PageFile* index = page.find("index.html");
    if (!index) {
        error = dir + " has no index.html; build the page: cd web && npm ci && node build.mjs";
        return std::nullopt;
    }
    page.csp = csp_of_page(index->content);
    if (page.csp.empty()) {
        error = dir + "/index.html has no Content-Security-Policy meta tag";
        return std::nullopt;
    }
    return page;
}

std::vector<std::string> web_dir_candidates() {
    if (const char* chosen = std::getenv("TCPVIZ_WEB_DIR"); chosen && *chosen) {
        return {std::string(chosen) + "/dist"};  // the user's choice, and nothing else
    }
    std::vector<std::string> candidates;
    const std::string exe = executable_path();
    if (exe.empty()) return candidates;
    const std::string exe_dir = std::filesystem::path(exe).parent_path().string();
    candidates.push_back(exe_dir + "/../web/dist");
    candidates.push_back(exe_dir + "/../share/tcpviz/web");
#if defined(TCPVIZ_SOURCE_DIR) && defined(TCPVIZ_BUILD_DIR)
    // Only a tcpviz still in its build tree looks into the source tree: the
    // same binary, once packaged, finds the page next to itself or not at all.
    if (is_inside(exe, TCPVIZ_BUILD_DIR)) candidates.push_back(std::string(TCPVIZ_SOURCE_DIR) + "/web/dist");
#endif
    return candidates;
}

std::optional<PageFiles> find_page_files(std::string& error) {
    for (const std::string& dir : web_dir_candidates()) {
        struct stat st {};
        if (::stat((dir + "/index.html").c_str(), &st) == 0) return load_page_files(dir, error);
    }
    error =
        "the web page is not built (no web/dist/index.html); run scripts/demo.sh, "
        "or: cd web && npm ci && node build.mjs";
    return std::nullopt;
}

}  // namespace tcpviz::serve
