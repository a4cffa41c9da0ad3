// ChatClient: one connection to a line-based server, full duplex.
//
// It waits in poll() on two things at once -- the input (stdin) and the
// socket -- so it can print what arrives while you are typing: neither
// direction waits for the other. (The course's client gets the same with two
// threads; poll() does it in one.)
//
// End of input (Ctrl-D, the end of a piped file, the end of the script) is
// a half-close: shutdown(SHUT_WR) sends our FIN, and we keep reading and
// printing until the server closes its side. A capture then shows our FIN,
// the server's goodbye, the server's FIN: the four-way teardown.
//
// What arrives is printed as it comes, but never raw: control bytes and
// bidirectional overrides from the server become U+FFFD (TerminalFilter),
// so a hostile server cannot retitle the window or clear the screen.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tcpviz/chat/chat_room.h"
#include "tcpviz/chat/client_script.h"
#include "tcpviz/chat/file_descriptor.h"
#include "tcpviz/chat/output_queue.h"
#include "tcpviz/chat/socket_options.h"
#include "tcpviz/chat/text.h"

namespace tcpviz::chat {

struct ClientConfig {
    static constexpr std::chrono::milliseconds default_interval{500};

    std::string host = "127.0.0.1";
    std::uint16_t port = default_port;
    std::uint16_t bind_port = 0;  // 0: the kernel picks an ephemeral source port (the right default)
    std::string nick;             // sent as "/nick NAME" first; empty: keep the guest name

    // Scripted mode (for demos and tests): with any --say, --bulk or
    // --quit-after, input is not read. The lines are sent --interval apart,
    // then the bulk data; then input ends -- at once, or at --quit-after if
    // given (listening until then; a listener needs no says at all).
    std::vector<std::string> say;
    std::chrono::milliseconds interval = default_interval;
    std::size_t bulk_bytes = 0;               // send this many bytes of numbered lines after the says
    std::chrono::milliseconds quit_after{0};  // end input this long after connecting; 0: no limit

    std::chrono::milliseconds pause_reading{0};  // do not recv() for this long after connecting
    bool linger_reset = false;                   // end with SO_LINGER 0: an RST instead of a FIN
    SocketOptions socket;

    int input_fd = STDIN_FILENO;  // tests pass pipes
    int output_fd = STDOUT_FILENO;
    std::function<void(const std::string&)> log;  // status lines (stderr in the CLI); may be empty
};

class ChatClient {
public:
    // --bulk lines are this long, '\n' included.
    static constexpr std::size_t bulk_line_bytes = ClientScript::bulk_line_bytes;

    // Resolves the host, creates the socket, applies the options and
    // connect()s. Throws ChatError with advice (refused, host not found...).
    explicit ChatClient(ClientConfig config);

    // Runs until the server closes the connection. Returns the exit status:
    // 0 when the conversation ended normally, 1 when the connection broke
    // (reset) or the output could not be written.
    int run();

    const std::string& local_endpoint() const noexcept { return local_; }
    const std::string& remote_endpoint() const noexcept { return remote_; }
    int fd() const noexcept { return socket_.get(); }  // for tests that check options with getsockopt()

private:
    using Clock = std::chrono::steady_clock;

    void connect_to_server();
    void bind_local_port(int fd, int family) const;
    void step_script(ClientScript& script, Clock::time_point now);
    std::optional<int> receive_from_server();
    std::optional<int> send_to_server();
    void read_input();
    void end_of_input();
    int reset_connection();
    bool write_output(std::string_view bytes);
    void log(const std::string& line) const;

    ClientConfig config_;
    FileDescriptor socket_;
    std::string local_;
    std::string remote_;
    OutputQueue output_;       // typed or scripted bytes on their way to the server
    TerminalFilter terminal_;  // what arrives, with control bytes made visible
    std::vector<char> buffer_;
    bool input_done_ = false;  // nothing more to send: end of stdin or script, or --quit-after
    bool write_shut_ = false;
};

}  // namespace tcpviz::chat
