// Self-contained HTML reports: the web page, its scripts and a timeline in
// one file that opens from disk, offline.
//
// The page is built by web/build.mjs into web/dist/report-template.html,
// which holds one placeholder element:
//   <script id="tcpviz-timeline" type="application/json">__TCPVIZ_TIMELINE__</script>
// The report is the template with the placeholder replaced by the timeline
// JSON. The JSON writer escapes <, >, &, U+2028 and U+2029 inside every
// string, so no payload can end the script element or open markup.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "tcpviz/timeline_writer.h"

namespace tcpviz {

// The report template's text, split at the placeholder.
struct ReportTemplate {
    std::string before;  // up to the placeholder
    std::string after;   // from just past it
};

// Finds and loads report-template.html from the first of
// serve::web_dir_candidates() that has one. Returns nullopt with `error` set when none
// is found or it has no placeholder.
std::optional<ReportTemplate> load_report_template(std::string& error);

// Splits a template's text at the placeholder; nullopt if it has none or
// more than one.
std::optional<ReportTemplate> split_report_template(const std::string& text);

// Writes a report around JSON that the caller writes in between:
//   HtmlReport r(file, tmpl); r.begin(); <write JSON to file>; r.end();
class HtmlReport {
public:
    HtmlReport(std::FILE* file, const ReportTemplate& tmpl) : file_(file), tmpl_(tmpl) {}
    bool begin();  // false when writing fails
    bool end();

private:
    std::FILE* file_;
    const ReportTemplate& tmpl_;
};

// A timeline writer that writes the report: the template's first part, the
// JSON timeline, the rest. `tmpl` must outlive the writer.
std::unique_ptr<TimelineWriter> make_html_report_writer(std::FILE* file, const ReportTemplate& tmpl,
                                                        const WriterOptions& options);

// Escapes text for HTML element content and attribute values.
std::string html_escape(const std::string& text);

}  // namespace tcpviz
