#include "html_report.h"

#include "tcpviz/serve/page_files.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace tcpviz {
namespace {

constexpr std::string_view placeholder = "__TCPVIZ_TIMELINE__";
constexpr std::string_view template_name = "report-template.html";

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

std::optional<ReportTemplate> split_report_template(const std::string& text) {
    const std::size_t at = text.find(placeholder);
    if (at == std::string::npos || text.find(placeholder, at + 1) != std::string::npos) return std::nullopt;
    return ReportTemplate{text.substr(0, at), text.substr(at + placeholder.size())};
}

std::optional<ReportTemplate> load_report_template(std::string& error) {
    std::vector<std::string> candidates;
    for (const std::string& dir : serve::web_dir_candidates()) {
        candidates.push_back(dir + "/" + std::string(template_name));
    }
    for (const std::string& path : candidates) {
        if (auto text = read_file(path)) {
            if (auto split = split_report_template(*text)) return split;
            error = path + " has no single " + std::string(placeholder) + " placeholder";
            return std::nullopt;
        }
    }
    error = "the web page is not built (no web/dist/report-template.html); run scripts/demo.sh, "
            "or: cd web && npm ci && node build.mjs";
    return std::nullopt;
}

bool HtmlReport::begin() {
    return std::fwrite(tmpl_.before.data(), 1, tmpl_.before.size(), file_) == tmpl_.before.size();
}

bool HtmlReport::end() {
    return std::fwrite(tmpl_.after.data(), 1, tmpl_.after.size(), file_) == tmpl_.after.size() &&
           std::fflush(file_) == 0;
}

std::string html_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c; break;
        }
    }
    return out;
}

}  // namespace tcpviz
