// Chat fan-out benchmark (scripts/bench.sh): a ChatServer on loopback, N
// clients; each sends M short lines; the server relays every line to the
// other N-1 clients. Prints lines relayed per second and bytes delivered per
// second, measured from the first line sent to the last line received.
//
//   chat_fanout [CLIENTS=100] [LINES_PER_CLIENT=100]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "tcpviz/chat/chat_server.h"

int main(int argc, char** argv) {
    const int clients = argc > 1 ? std::atoi(argv[1]) : 100;
    const int lines = argc > 2 ? std::atoi(argv[2]) : 100;
    tcpviz::chat::ServerConfig config;
    config.bind_address = "127.0.0.1";
    config.port = 0;
    config.max_clients = static_cast<std::size_t>(clients) + 8;
    config.max_per_address = config.max_clients;  // every client comes from 127.0.0.1
    tcpviz::chat::ChatServer server(config);
    std::thread loop([&server] { server.run(); });

    std::vector<int> fds;
    for (int i = 0; i < clients; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(server.port());
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            std::perror("connect");
            return 2;
        }
        fds.push_back(fd);
    }
    server.wait_until(
        [&](const tcpviz::chat::ServerStats& s) { return s.clients == static_cast<std::size_t>(clients); },
        std::chrono::seconds(10));
    // Drain the join announcements before measuring.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    char buf[65536];
    for (int fd : fds) {
        while (::recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
        }
    }

    const std::uint64_t expected_lines = static_cast<std::uint64_t>(clients) * (clients - 1) * lines;
    std::uint64_t received_lines = 0, received_bytes = 0;
    rusage before{};
    ::getrusage(RUSAGE_SELF, &before);
    const auto start = std::chrono::steady_clock::now();
    std::thread sender([&] {
        const std::string msg = "the quick brown fox jumps over the lazy dog\n";
        for (int round = 0; round < lines; ++round) {
            for (int fd : fds) {
                if (::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL) < 0) return;
            }
        }
    });
    std::vector<pollfd> pfds;
    for (int fd : fds) pfds.push_back({fd, POLLIN, 0});
    const auto deadline = start + std::chrono::seconds(60);
    while (received_lines < expected_lines && std::chrono::steady_clock::now() < deadline) {
        if (::poll(pfds.data(), pfds.size(), 1000) <= 0) continue;
        for (auto& p : pfds) {
            if (!(p.revents & POLLIN)) continue;
            const ssize_t n = ::recv(p.fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n <= 0) continue;
            received_bytes += static_cast<std::uint64_t>(n);
            for (ssize_t i = 0; i < n; ++i) received_lines += buf[i] == '\n';
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rusage after{};
    ::getrusage(RUSAGE_SELF, &after);
    auto cpu = [](const timeval& a, const timeval& b) { return (b.tv_sec - a.tv_sec) + (b.tv_usec - a.tv_usec) / 1e6; };
    const double user = cpu(before.ru_utime, after.ru_utime);
    const double system = cpu(before.ru_stime, after.ru_stime);
    sender.join();
    server.stop();
    loop.join();
    for (int fd : fds) ::close(fd);
    std::printf(
        "chat fan-out: %d clients x %d lines: %llu of %llu lines delivered in %.2f s: %.0f lines/s, %.1f MB/s\n",
        clients, lines, static_cast<unsigned long long>(received_lines),
        static_cast<unsigned long long>(expected_lines), seconds, received_lines / seconds,
        received_bytes / seconds / 1e6);
    // Where the time went (server, sender and receivers together): system
    // time is the kernel moving bytes through sockets, user time is our loops.
    std::printf("  cpu: %.2f s in the kernel, %.2f s in user space (%.0f%% kernel): %s-limited\n", system, user,
                100 * system / (system + user), system > user ? "kernel" : "loop");
    return received_lines == expected_lines ? 0 : 1;
}
