#include "common.h"
#include <sys/socket.h>

namespace tcpviz::lab {

const Json* find_event(const Timeline& t, int conn, const EventTest& test) {
    for (const Json* e : t.events(conn)) {
        if (test(*e)) return e;
    }
    return nullptr;
}

std::vector<const Json*> find_events(const Timeline& t, int conn, const EventTest& test) {
    std::vector<const Json*> found;
    for (const Json* e : t.events(conn)) {
        if (test(*e)) found.push_back(e);
    }
    return found;
}

std::string frame(const Json* e) { return e ? num(number(*e, "frame")) : std::string("?"); }

double ms_between(const Json& a, const Json& b) { return (real(b, "t", 0) - real(a, "t", 0)) * 1000.0; }

bool is_c2s(const Json& e) { return str(e, "dir") == "c2s"; }

long long seq_end(const Json& e) {
    return number(e, "seq", 0) + number(e, "len", 0) + (flag(e, "SYN") || flag(e, "FIN") ? 1 : 0);
}

Child spawn_sink(const Host& server, int port, const SocketKnobs& knobs) {
    return spawn_in(server.netns, [=](const ReadyFn& ready) {
        const int listener = listen_on(server.address, port, knobs);
        ready("listening");
        const int fd = accept_one(listener);
        read_to_end(fd);
        close_fd(fd);  // our FIN
        close_fd(listener);
        return 0;
    });
}

Child spawn_sender(const Host& client, const Host& server, int port, std::size_t bytes, const SocketKnobs& knobs) {
    return spawn_in(client.netns, [=](const ReadyFn& ready) {
        const int fd = connect_to(server.address, port, knobs);
        ready(congestion_of(fd));
        const bool ok = send_pattern(fd, bytes);
        ::shutdown(fd, SHUT_WR);  // our FIN: nothing more to send
        read_to_end(fd);          // until the server's FIN
        close_fd(fd);
        return ok ? 0 : 1;
    });
}

}  // namespace tcpviz::lab
