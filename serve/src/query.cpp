#include "tcpviz/serve/query.h"

#include <charconv>
#include <cmath>

namespace tcpviz::serve {

std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t max, std::string& error) {
    if (text.empty()) {
        error = "empty";
        return std::nullopt;
    }
    if (text.size() > 20) {
        error = "too large";
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            error = "not a non-negative decimal integer";
            return std::nullopt;
        }
        const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
        if (value > (max - digit) / 10) {
            error = "larger than " + std::to_string(max);
            return std::nullopt;
        }
        value = value * 10 + digit;
    }
    return value;
}

std::optional<double> parse_decimal(std::string_view text, std::string& error) {
    if (text.empty() || text.size() > 32) {
        error = text.empty() ? "empty" : "too long";
        return std::nullopt;
    }
    // Only [-]digits[.digits]: from_chars alone would take "1e3" and "inf".
    std::size_t i = text[0] == '-' ? 1 : 0;
    std::size_t digits = 0;
    bool point = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            error = "not a decimal number";
            return std::nullopt;
        }
    }
    if (digits == 0) {
        error = "not a decimal number";
        return std::nullopt;
    }
    double value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec != std::errc{} || result.ptr != text.data() + text.size() || !std::isfinite(value)) {
        error = "not a decimal number";
        return std::nullopt;
    }
    return value;
}

}  // namespace tcpviz::serve
