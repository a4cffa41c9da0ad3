#include "ask.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "ui_text.h"

namespace tcpviz::lab {
namespace {

std::string read_line(std::FILE* in) {
    std::string line;
    int c;
    while ((c = std::fgetc(in)) != EOF && c != '\n') line += static_cast<char>(c);
    return line;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

bool prediction_matches(const std::string& reply, const std::string& expected) {
    const std::string r = trim(reply);
    if (r.empty()) return false;
    char* end = nullptr;
    const double guess = std::strtod(r.c_str(), &end);
    if (end == r.c_str() || *end != '\0') return r == expected;
    const double value = std::strtod(expected.c_str(), nullptr);
    if (expected.find('.') == std::string::npos) return guess == value;
    return std::fabs(guess - value) <= std::fabs(value) * 0.1;
}

void ask_questions(const Scenario& scenario, const Timeline& timeline, const AskOptions& o, std::FILE* out,
                   std::FILE* in) {
    int asked = 0, right = 0, n = 0;
    for (const Question& q : scenario.questions) {
        ++n;
        const Answer a = q.compute(timeline);
        const std::string question = fill(q.ask, o.lang, a.vars);
        std::fprintf(out, "\n%s\n", fill(ui::question, o.lang, {{"n", num(n)}, {"text", question}}).c_str());
        if (!a.answered) {
            std::fprintf(out, "%s\n", fill(ui::cannot, o.lang, {{"n", num(n)}, {"why", a.why_not.in(o.lang)}}).c_str());
            continue;
        }
        if (o.quiz && !a.expect.empty()) {
            std::fputs(ui::predict.in(o.lang), out);
            std::fflush(out);
            const std::string guess = trim(read_line(in));
            ++asked;
            if (guess.empty()) {
                std::fprintf(out, "%s\n", fill(ui::no_guess, o.lang, {{"value", a.expect}}).c_str());
            } else if (prediction_matches(guess, a.expect)) {
                ++right;
                std::fprintf(out, "%s\n", fill(ui::right, o.lang, {{"value", a.expect}}).c_str());
            } else {
                std::fprintf(out, "%s\n", fill(ui::wrong, o.lang, {{"value", a.expect}, {"guess", guess}}).c_str());
            }
        } else if (o.pause) {
            std::fputs(ui::press_enter.in(o.lang), out);
            std::fflush(out);
            read_line(in);
        }
        std::fprintf(out, "%s\n",
                     fill(ui::reply, o.lang, {{"n", num(n)}, {"text", fill(q.reply, o.lang, a.vars)}}).c_str());
    }
    if (o.quiz) {
        std::fprintf(out, "\n%s\n", fill(ui::score, o.lang, {{"right", num(right)}, {"asked", num(asked)}}).c_str());
    }
}

}  // namespace tcpviz::lab
