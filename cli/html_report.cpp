#include "html_report.h"

#include "tcpviz/serve/page_files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
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

class HtmlReportWriter : public TimelineWriter {
public:
    HtmlReportWriter(std::FILE* file, const ReportTemplate& tmpl, const WriterOptions& options)
        : report_(file, tmpl), json_(make_json_writer(file, options)) {}
    void begin(const TimelineSource& source) override {
        if (!report_.begin()) throw std::runtime_error(std::string("cannot write report: ") + std::strerror(errno));
        json_->begin(source);
    }
    void event(const Event& e, const Analyzer& analyzer) override { json_->event(e, analyzer); }
    void end(const Analyzer& analyzer, const std::vector<std::string>& warnings) override {
        json_->end(analyzer, warnings);
        if (!report_.end()) throw std::runtime_error(std::string("cannot write report: ") + std::strerror(errno));
    }

private:
    HtmlReport report_;
    std::unique_ptr<TimelineWriter> json_;
};

}  // namespace

std::unique_ptr<TimelineWriter> make_html_report_writer(std::FILE* file, const ReportTemplate& tmpl,
                                                        const WriterOptions& options) {
    return std::make_unique<HtmlReportWriter>(file, tmpl, options);
}

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
    error =
        "the web page is not built (no web/dist/report-template.html); run scripts/demo.sh, "
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
