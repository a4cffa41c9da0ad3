#include "tcpviz/serve/serve_run.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <thread>

#include "tcpviz/chat/chat_server.h"
#include "tcpviz/serve/http_server.h"
#include "tcpviz/serve/live_session.h"
#include "tcpviz/serve/live_stream.h"
#include "tcpviz/serve/sessions.h"

namespace tcpviz::serve {
namespace {

int fail(std::FILE* err, const std::string& what, const std::string& reason) {
    std::fprintf(err, "tcpviz: error: %s: %s\n", what.c_str(), reason.c_str());
    return 2;
}

bool is_loopback(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address == "::1" || address == "localhost";
}

// The addresses of this machine's interfaces, for the --bind warning.
std::string local_addresses() {
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return "?";
    std::string out;
    for (ifaddrs* a = list; a; a = a->ifa_next) {
        if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
        char text[INET_ADDRSTRLEN] = {};
        ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
        if (!out.empty()) out += ", ";
        out += std::string(a->ifa_name) + " " + text;
    }
    ::freeifaddrs(list);
    return out;
}

void print_progress(std::FILE* err, const CaptureSession& c, bool done, std::chrono::steady_clock::time_point start,
                    bool tty) {
    const SessionSummary s = c.summary();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = secs > 0 ? static_cast<double>(s.packets) / secs : 0;
    if (!done) {
        if (tty) {
            std::fprintf(err, "\r  indexing %s: %llu packets, %.0f%%, %.2fM packets/s   ", s.name.c_str(),
                         static_cast<unsigned long long>(s.packets), s.progress * 100, rate / 1e6);
            std::fflush(err);
        }
        return;
    }
    if (tty) std::fprintf(err, "\r%78s\r", "");
    if (!s.error.empty()) {
        std::fprintf(err, "tcpviz: warning: %s: %s (not served)\n", c.path().c_str(), s.error.c_str());
        return;
    }
    const CaptureIndex* index = c.ready_index();
    const double cpu = index ? index->cpu_seconds() : 0;
    std::fprintf(err,
                 "  %s: %llu packets, %llu segments, %llu connections indexed in %.2f s (%.2fM packets/s; "
                 "%.2fM per CPU second), index %.1f MB\n",
                 s.name.c_str(), static_cast<unsigned long long>(s.packets),
                 static_cast<unsigned long long>(s.segments), static_cast<unsigned long long>(s.connections), secs,
                 rate / 1e6, cpu > 0 ? static_cast<double>(s.packets) / cpu / 1e6 : 0.0,
                 index ? static_cast<double>(index->bytes()) / 1e6 : 0.0);
    if (index) {
        for (const std::string& w : index->warnings()) {
            std::fprintf(err, "tcpviz: warning: %s: %s\n", c.path().c_str(), w.c_str());
        }
    }
}

// Addresses students can reach: every IPv4 address but loopback (or
// loopback alone when there is nothing else).
std::vector<std::string> student_addresses() {
    std::vector<std::string> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) == 0) {
        for (ifaddrs* a = list; a; a = a->ifa_next) {
            if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
            char text[INET_ADDRSTRLEN] = {};
            ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
            if (!is_loopback(text)) out.push_back(text);
        }
        ::freeifaddrs(list);
    }
    if (out.empty()) out.push_back("127.0.0.1");
    return out;
}

void open_in_browser(const std::string& url, std::FILE* err) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execlp("xdg-open", "xdg-open", url.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    if (pid < 0) std::fprintf(err, "tcpviz: warning: --open: cannot start xdg-open; open %s\n", url.c_str());
}

std::unique_ptr<chat::ChatServer> open_chat(int port, std::string& error) {
    chat::ServerConfig config;
    config.port = static_cast<std::uint16_t>(port);
    try {
        return std::make_unique<chat::ChatServer>(config);
    } catch (const std::exception& ex) {
        error = ex.what();
        return nullptr;
    }
}

// The classroom's chat server, on a thread of its own until it is stopped.
std::thread run_chat(chat::ChatServer& server, std::FILE* err) {
    return std::thread([&server, err] {
        try {
            server.run();
        } catch (const std::exception& ex) {
            std::fprintf(err, "tcpviz: error: --chat: %s\n", ex.what());
        }
    });
}

LiveOptions live_options(const ServeRequest& request, const chat::ChatServer* chat_server) {
    LiveOptions options;
    // Students' traffic comes in on the network, the teacher's own on lo: capture both.
    options.interface = !request.interface.empty() ? request.interface : chat_server ? "any" : "lo";
    if (!request.filter.empty()) options.filter = request.filter;
    else if (chat_server) options.filter = "tcp port " + std::to_string(chat_server->port());
    return options;
}

std::string page_url(const std::string& bind, int port) {
    const std::string host = bind == "0.0.0.0"                     ? std::string("127.0.0.1")
                             : bind.find(':') != std::string::npos ? "[" + bind + "]"
                                                                   : bind;
    return "http://" + host + ":" + std::to_string(port) + "/";
}

// What the teacher needs: the page's addresses, who else can read them, and
// what students type.
void print_addresses(std::FILE* out, std::FILE* err, const ServeRequest& request, const std::string& url,
                     const Sessions& sessions, int port, const LiveSession* live, const chat::ChatServer* chat_server) {
    std::fprintf(out, "tcpviz serve: %s\n", url.c_str());
    for (std::size_t id = 0; id < sessions.size(); ++id) {
        std::fprintf(out, "  session %zu: %s  %s?session=%zu\n", id, sessions.find(id)->summary().name.c_str(),
                     url.c_str(), id);
    }
    if (!is_loopback(request.bind)) {
        std::fprintf(err,
                     "tcpviz: warning: --bind %s: anyone who can reach this machine on port %d can now read "
                     "these captures and their payload (this machine's addresses: %s)\n",
                     request.bind.c_str(), port, local_addresses().c_str());
    }
    if (live) {
        std::fprintf(out, "  live: capturing on %s, filter \"%s\"  %s?live=1\n", live->options().interface.c_str(),
                     live->options().filter.c_str(), url.c_str());
    }
    if (chat_server) {
        const std::string chat_port = std::to_string(chat_server->port());
        std::fprintf(out, "  chat: students connect with\n");
        for (const std::string& a : student_addresses()) {
            std::fprintf(out, "      tcpviz chat client --host %s --port %s      or: nc %s %s\n", a.c_str(),
                         chat_port.c_str(), a.c_str(), chat_port.c_str());
        }
    }
    std::fflush(out);
}

// Runs the server until a signal in `signals` (blocked in every thread) comes
// or it ends on its own; `stop_others` runs on the signal, before the server stops.
bool serve_until_signalled(HttpServer& server, const sigset_t& signals, const std::function<void()>& stop_others) {
    std::atomic<bool> run_returned{false};
    std::thread waiter([&] {
        int signal_number = 0;
        sigwait(&signals, &signal_number);
        stop_others();
        // A signal may come before the server listens, when stop() does
        // nothing yet: ask until run() has returned.
        while (!run_returned) {
            server.stop();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    const bool served = server.run();
    run_returned = true;
    ::kill(::getpid(), SIGUSR1);  // if no signal ended it, wake the waiter
    waiter.join();
    return served;
}

}  // namespace

int run_serve(const ServeRequest& request, std::FILE* out, std::FILE* err) {
    if (request.inputs.empty() && !request.live && request.chat_port < 0) {
        return fail(err, "serve", "give captures to serve, or --live");
    }
    std::string error;
    Sessions sessions;
    if (!sessions.add_inputs(request.inputs, error, request.checkpoint_packets)) {
        const auto colon = error.find(": ");
        return fail(err, error.substr(0, colon), error.substr(colon + 2));
    }
    const auto page = find_page_files(error);
    if (!page) return fail(err, "serve", error);

    // The classroom: the chat server first (students connect to it), then its capture.
    std::unique_ptr<chat::ChatServer> chat_server;
    if (request.chat_port >= 0 && !(chat_server = open_chat(request.chat_port, error)))
        return fail(err, "--chat", error);
    ApiContext api{sessions, std::nullopt, "0.1.0"};
    ServerLimits limits;
    LiveSession* live = nullptr;
    if (request.live || chat_server) {
        std::vector<std::string> warnings;
        std::unique_ptr<LiveSession> opened =
            LiveSession::open(live_options(request, chat_server.get()), error, warnings);
        if (!opened) return fail(err, "--live", error);
        for (const std::string& w : warnings) std::fprintf(err, "tcpviz: warning: --live: %s\n", w.c_str());
        live = opened.get();
        api.live_session = sessions.add(std::move(opened));
        limits.threads += SseHub::max_clients;  // each open page's stream holds a thread
    }
    HttpServer server(*page, api, limits);
    if (live) server.set_live_handler(make_live_handler(*live));
    if (!server.bind(request.bind, request.port, error)) return fail(err, "--bind", error);

    // SIGINT and SIGTERM go to one waiting thread, not to whichever thread
    // the kernel picks: blocked here, before the server's, the capture's and
    // the indexing threads start (the sampler's blocks them itself).
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGUSR1);  // the server ended on its own: wakes the waiter
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    const std::string url = page_url(request.bind, server.port());
    print_addresses(out, err, request, url, sessions, server.port(), live, chat_server.get());
    if (live) live->start(*api.live_session);
    std::thread chat_thread = chat_server ? run_chat(*chat_server, err) : std::thread();
    // The demo's students (tcpviz demo --serve); joined as run_serve returns, after the chat server stopped.
    std::jthread scripted;
    if (request.while_serving && chat_server) scripted = std::jthread(request.while_serving, chat_server->port());

    const auto start = std::chrono::steady_clock::now();
    const bool tty = !request.quiet && ::isatty(::fileno(err));
    sessions.start_indexing([&, start](const CaptureSession& c, bool done) {
        if (!request.quiet) print_progress(err, c, done, start, tty);
    });
    if (request.open_browser) open_in_browser(url, err);
    const auto stop_others = [&] {
        sessions.stop();
        if (live) live->stop();  // ends the capture and every open stream
        if (chat_server) chat_server->stop();
    };
    const bool served = serve_until_signalled(server, stop_signals, stop_others);
    stop_others();  // when the server ended on its own
    if (chat_thread.joinable()) chat_thread.join();
    sessions.wait_indexed();
    // Take what is still pending (the wake-up, or a second Ctrl-C) before unblocking.
    const timespec no_wait{0, 0};
    while (sigtimedwait(&stop_signals, nullptr, &no_wait) > 0) {
    }
    pthread_sigmask(SIG_UNBLOCK, &stop_signals, nullptr);
    if (!served) return fail(err, "serve", "the server stopped: cannot listen");
    std::fprintf(out, "tcpviz serve: stopped\n");
    return 0;
}

}  // namespace tcpviz::serve
