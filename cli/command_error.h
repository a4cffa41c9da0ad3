// How every subcommand reports a failure: one line on stderr,
// "tcpviz: error: WHAT: reason", and exit status 2.
#pragma once

#include <cstdio>
#include <string>

namespace tcpviz {

inline constexpr int exit_error = 2;

// Prints the line and returns the exit status, so a command can `return fail(...)`.
inline int fail(std::FILE* err, const std::string& what, const std::string& reason) {
    std::fprintf(err, "tcpviz: error: %s: %s\n", what.c_str(), reason.c_str());
    return exit_error;
}

}  // namespace tcpviz
