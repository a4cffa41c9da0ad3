// Strict parsing of the numbers a request carries. A request is untrusted
// input: "-1", "1e3", "0x10", "12abc", " 7", an empty string and numbers past
// their range are all refused, with a reason the API returns as a 400.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tcpviz::serve {

// Plain decimal digits only, at most `max`. nullopt with `error` set otherwise.
std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t max, std::string& error);

// A finite decimal number such as "12", "0.25" or "-3.5" (no exponent, no
// hex, no inf/nan), at most 32 characters.
std::optional<double> parse_decimal(std::string_view text, std::string& error);

}  // namespace tcpviz::serve
