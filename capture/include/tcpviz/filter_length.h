// The longest BPF filter tcpviz compiles.
//
// libpcap's optimizer takes time cubic in the size of a filter: 100 "port N"
// terms (about 1,000 characters) compile in a second, 1,000 terms in about
// ten, 5,000 terms in more than ten minutes and 1.5 GB. A filter of 1,024
// characters compiles in about two seconds at worst, and is longer than any
// filter a person types; longer ones are refused before libpcap sees them.
#pragma once

#include <cstddef>
#include <string>

namespace tcpviz {

inline constexpr std::size_t max_filter_length = 1024;

// Why the filter is refused, or empty when its length is fine.
inline std::string filter_length_problem(const std::string& expression) {
    if (expression.size() <= max_filter_length) return {};
    return "filter is " + std::to_string(expression.size()) + " characters long; at most " +
           std::to_string(max_filter_length) + " (libpcap takes minutes to compile longer ones)";
}

}  // namespace tcpviz
