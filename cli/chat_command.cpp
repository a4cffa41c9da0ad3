// `tcpviz chat server` and `tcpviz chat client`: options in, library call,
// exit status out. Everything else lives in the classes the tests use.
#include "chat_command.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>

#include "tcpviz/chat/chat_client.h"
#include "tcpviz/chat/chat_error.h"
#include "tcpviz/chat/chat_server.h"

namespace tcpviz {
namespace {

using chat::ChatError;

// The server that SIGINT/SIGTERM stop; stop() is async-signal-safe.
std::atomic<chat::ChatServer*> g_server{nullptr};

extern "C" void on_stop_signal(int) {
    if (chat::ChatServer* server = g_server.load()) server->stop();
}

void set_signal(int signal, void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
}

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "tcpviz: error: %s\n", message.c_str());
    throw CLI::RuntimeError(2);
}

std::string clock_prefix() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    ::localtime_r(&now, &local);
    char text[16];
    std::strftime(text, sizeof text, "%H:%M:%S ", &local);
    return text;
}

void add_socket_options(CLI::App* cmd, chat::SocketOptions& options) {
    cmd->add_option("--rcvbuf", options.receive_buffer, "SO_RCVBUF in bytes: caps the window we advertise")
        ->check(CLI::Range(1, 1 << 30));
    cmd->add_option("--sndbuf", options.send_buffer, "SO_SNDBUF in bytes: how much the kernel holds to send")
        ->check(CLI::Range(1, 1 << 30));
    cmd->add_flag("--nodelay", options.no_delay, "TCP_NODELAY: turn Nagle's algorithm off");
    cmd->add_option("--mss", options.max_segment, "TCP_MAXSEG in bytes, announced in the SYN")
        ->check(CLI::Range(1, 65535));
    cmd->add_option("--cc", options.congestion, "TCP_CONGESTION: reno, cubic, bbr...");
    cmd->add_option("--keepalive", options.keepalive_seconds,
                    "SO_KEEPALIVE: probe after SECONDS idle, then every SECONDS, 3 times")
        ->check(CLI::Range(1, 32767));
}

struct ServerRequest {
    chat::ServerConfig config;
    double login_time = std::chrono::duration<double>(chat::ServerConfig::default_login_time).count();
    double stall_time = std::chrono::duration<double>(chat::ServerConfig::default_stall_time).count();
    bool quiet = false;
};

std::chrono::milliseconds to_milliseconds(double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

int run_server(ServerRequest& request) {
    request.config.login_time = to_milliseconds(request.login_time);
    request.config.stall_time = to_milliseconds(request.stall_time);
    if (!request.quiet) {
        request.config.log = [](const std::string& line) {
            std::printf("%s%s\n", clock_prefix().c_str(), line.c_str());
            std::fflush(stdout);
        };
    }
    std::unique_ptr<chat::ChatServer> server;
    try {
        server = std::make_unique<chat::ChatServer>(request.config);
    } catch (const ChatError& e) {
        fail(e.what());
    }
    std::string where;
    for (const std::string& endpoint : server->endpoints()) where += (where.empty() ? "" : ", ") + endpoint;
    std::printf("tcpviz chat server: listening on %s%s for up to %zu clients; Ctrl-C to stop\n", where.c_str(),
                server->dual_stack() ? " (IPv6 and IPv4)" : "", request.config.max_clients);
    std::fflush(stdout);

    // A write to a connection the peer has closed raises SIGPIPE, which
    // kills the process by default. Every send() uses MSG_NOSIGNAL; this is
    // for everything else.
    set_signal(SIGPIPE, SIG_IGN);
    g_server.store(server.get());
    set_signal(SIGINT, on_stop_signal);
    set_signal(SIGTERM, on_stop_signal);
    try {
        server->run();
    } catch (const ChatError& e) {
        g_server.store(nullptr);
        fail(e.what());
    }
    set_signal(SIGINT, SIG_DFL);
    set_signal(SIGTERM, SIG_DFL);
    g_server.store(nullptr);
    std::printf("tcpviz chat server: stopped\n");
    std::fflush(stdout);
    return 0;
}

struct ClientRequest {
    chat::ClientConfig config;
    int port = chat::default_port;
    int bind_port = 0;
    int interval_ms = static_cast<int>(chat::ClientConfig::default_interval.count());
    double quit_after = 0;
    double pause_reading = 0;
    bool quiet = false;
};

int run_client(ClientRequest& request) {
    chat::ClientConfig& config = request.config;
    config.port = static_cast<std::uint16_t>(request.port);
    config.bind_port = static_cast<std::uint16_t>(request.bind_port);
    config.interval = std::chrono::milliseconds(request.interval_ms);
    config.quit_after = std::chrono::milliseconds(static_cast<long long>(request.quit_after * 1000));
    config.pause_reading = std::chrono::milliseconds(static_cast<long long>(request.pause_reading * 1000));
    if (!request.quiet) {
        config.log = [](const std::string& line) { std::fprintf(stderr, "tcpviz chat client: %s\n", line.c_str()); };
    }
    set_signal(SIGPIPE, SIG_IGN);
    try {
        chat::ChatClient client(config);
        if (!request.quiet) {
            std::fprintf(stderr, "tcpviz chat client: connected from %s to %s (handshake done)\n",
                         client.local_endpoint().c_str(), client.remote_endpoint().c_str());
        }
        return client.run();
    } catch (const ChatError& e) {
        fail(e.what());
    }
}

}  // namespace

void add_chat_command(CLI::App& app) {
    CLI::App* chat_cmd = app.add_subcommand("chat", "A chat room over real TCP sockets: server and client");
    chat_cmd->require_subcommand(1);

    auto server = std::make_shared<ServerRequest>();
    CLI::App* server_cmd = chat_cmd->add_subcommand(
        "server", "Run the chat room: a poll() loop serving many clients; plain text lines, so nc and telnet can join");
    server_cmd->add_option("--bind", server->config.bind_address,
                           "local address to listen on (default: all, IPv6 and IPv4), e.g. 127.0.0.1 or ::1");
    server_cmd->add_option("-p,--port", server->config.port, "TCP port (default 6666; 0: the kernel picks one)")
        ->check(CLI::Range(0, 65535));
    server_cmd->add_option("--max-clients", server->config.max_clients, "most clients at once (default 512)")
        ->check(CLI::Range(1, 100000));
    server_cmd
        ->add_option("--max-per-address", server->config.max_per_address,
                     "most connections from one IP address at once (default 64); when full, its oldest "
                     "connection that has not sent a line yet makes room")
        ->check(CLI::Range(1, 100000));
    server_cmd
        ->add_option("--login-timeout", server->login_time,
                     "seconds a new client has to send its first line (/nick or a message) before it is "
                     "closed (default 60), like nginx's client_header_timeout")
        ->check(CLI::Range(0.1, 86400.0));
    server_cmd
        ->add_option("--stall-timeout", server->stall_time,
                     "seconds a client may leave over 64 KiB unread before it is dropped (default 5); "
                     "meanwhile nobody is read from, so a flooder slows down to the slowest reader")
        ->check(CLI::Range(0.1, 3600.0));
    add_socket_options(server_cmd, server->config.socket);
    server_cmd->add_flag("-q,--quiet", server->quiet, "no log of joins and leaves");
    server_cmd->callback([server]() {
        const int code = run_server(*server);
        if (code != 0) throw CLI::RuntimeError(code);
    });

    auto client = std::make_shared<ClientRequest>();
    CLI::App* client_cmd = chat_cmd->add_subcommand(
        "client", "Join a chat: stdin goes to the server, what arrives is printed; end of input half-closes");
    client_cmd->add_option("--host", client->config.host, "server name or address (default 127.0.0.1)");
    client_cmd->add_option("-p,--port", client->port, "server port (default 6666)")->check(CLI::Range(1, 65535));
    client_cmd->add_option("--bind-port", client->bind_port, "our own source port (default: the kernel picks one)")
        ->check(CLI::Range(1, 65535));
    client_cmd->add_option("--nick", client->config.nick, "send /nick NAME first");
    client_cmd
        ->add_option("--say", client->config.say,
                     "scripted: send this line (repeatable); with --say, --bulk or --quit-after stdin is not read")
        ->allow_extra_args(false);
    client_cmd->add_option("--interval", client->interval_ms, "scripted: milliseconds between lines (default 500)")
        ->check(CLI::Range(0, 3600000));
    client_cmd
        ->add_option("--quit-after", client->quit_after,
                     "scripted: end our side (half-close) this many seconds after connecting")
        ->check(CLI::Range(0.0, 86400.0));
    client_cmd->add_option("--bulk", client->config.bulk_bytes,
                           "send this many bytes of numbered 100-byte lines (slow start, window growth)");
    client_cmd
        ->add_option("--pause-reading", client->pause_reading,
                     "do not read for this many seconds after connecting (zero window)")
        ->check(CLI::Range(0.0, 3600.0));
    client_cmd->add_flag("--linger0", client->config.linger_reset,
                         "end with SO_LINGER 0: close() sends an RST instead of a FIN");
    add_socket_options(client_cmd, client->config.socket);
    client_cmd->add_flag("-q,--quiet", client->quiet, "no status lines on stderr");
    client_cmd->callback([client]() {
        const int code = run_client(*client);
        if (code != 0) throw CLI::RuntimeError(code);
    });
}

}  // namespace tcpviz
