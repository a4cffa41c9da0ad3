#include "lab_command.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "html_report.h"
#include "tcpviz/lab/lab.h"

namespace tcpviz {
namespace {

// The self-contained report around the lab's timeline (with its kernel samples).
bool write_html(const std::string& timeline, const std::string& html, std::string& error) {
    const std::optional<ReportTemplate> tmpl = load_report_template(error);
    if (!tmpl) return false;
    std::ifstream in(timeline, std::ios::binary);
    std::ostringstream json;
    json << in.rdbuf();
    std::FILE* file = std::fopen(html.c_str(), "wb");
    if (file == nullptr) {
        error = std::strerror(errno);
        return false;
    }
    HtmlReport report(file, *tmpl);
    const std::string text = json.str();
    const bool ok = report.begin() && std::fwrite(text.data(), 1, text.size(), file) == text.size() && report.end();
    if (std::fclose(file) != 0 || !ok) {
        error = std::strerror(errno);
        return false;
    }
    return true;
}

}  // namespace

void add_lab_command(CLI::App& app) {
    auto request = std::make_shared<lab::LabRequest>();
    CLI::App* cmd = app.add_subcommand(
        "lab", "Run a lab: build a network, run real programs, capture, and answer questions from the packets");
    cmd->add_option("scenario", request->scenario, "the scenario (see --list)");
    cmd->add_flag("--list", request->list, "list the scenarios: name, topic, whether it needs root");
    cmd->add_option("--out", request->out_dir,
                    "directory for the pcap, timeline and report (default: a new one in $TMPDIR)");
    cmd->add_flag("--html", request->html, "also write a self-contained HTML report");
    cmd->add_option("--lang", request->lang, "language of everything the lab prints: en or zh")
        ->check(CLI::IsMember({"en", "zh"}));
    cmd->add_flag("--pause", request->pause, "wait for Enter before each answer (in class)");
    cmd->add_flag("--quiz", request->quiz, "ask for a prediction before each answer, and score it");
    cmd->add_option("--capture", request->capture, "ask the same questions about your own capture (no network built)")
        ->check(CLI::ExistingFile);
    cmd->add_option("--cc", request->cc, "congestion control pinned on the sender's socket (default: reno)")
        ->check(CLI::IsMember({"reno", "cubic", "bbr"}));
    cmd->callback([request]() {
        const int code = lab::run_lab(*request, write_html, stdout, stderr, stdin);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
