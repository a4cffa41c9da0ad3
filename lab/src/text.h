// Every string a lab prints, in both languages side by side: one source per
// string. `{name}` placeholders are filled from numbers read from the packets.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tcpviz::lab {

enum class Lang { en, zh };

struct Text {
    const char* en = "";
    const char* zh = "";
    const char* in(Lang lang) const { return lang == Lang::zh ? zh : en; }
};

// Values for a Text's placeholders, in the order they were found.
using Vars = std::vector<std::pair<std::string, std::string>>;

// The text with each `{name}` replaced by its value; an unknown name stays as
// written, so a missing value shows instead of vanishing.
std::string fill(const std::string& text, const Vars& vars);
inline std::string fill(const Text& text, Lang lang, const Vars& vars = {}) { return fill(text.in(lang), vars); }

// Number formatting shared by the answers.
std::string num(long long value);
std::string num(double value, int decimals);

}  // namespace tcpviz::lab
