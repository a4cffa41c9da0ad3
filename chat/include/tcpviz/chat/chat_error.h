// ChatError: a failure the user can do something about. Its message is one
// line that says what went wrong and what to do next ("is the server
// running?"), because a bare "Connection refused" teaches nothing. The CLI
// prints it as `tcpviz: error: MESSAGE` and exits with status 2.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace tcpviz::chat {

class ChatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// bind() or listen() failed with `err` (an errno value) on `endpoint`.
std::string explain_listen_error(int err, const std::string& endpoint, std::uint16_t port);

// connect() to `endpoint` failed with `err`.
std::string explain_connect_error(int err, const std::string& endpoint, std::uint16_t port);

// The client's bind() to --bind-port failed with `err`.
std::string explain_bind_port_error(int err, std::uint16_t port);

// getaddrinfo() failed with `gai_error` (an EAI_* value) for `host`.
// `for_bind`: the name came from --bind (a local address) rather than --host.
std::string explain_resolve_error(int gai_error, const std::string& host, bool for_bind);

// Any other failed call: "what: strerror(err)".
std::string system_error_text(const std::string& what, int err);

}  // namespace tcpviz::chat
