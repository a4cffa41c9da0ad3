#include "tcpviz/serve/live_stream.h"

#include <httplib.h>

#include <chrono>

namespace tcpviz::serve {
namespace {

// A comment line now and then keeps proxies and idle timers from closing the
// stream, and finds pages that went away: a socket the peer closed still
// looks writable until a write fails, so an idle stream writes every second.
constexpr auto keep_alive_every = std::chrono::seconds(1);
constexpr auto poll = std::chrono::milliseconds(250);

}  // namespace

HttpServer::Handler make_live_handler(LiveSession& live) {
    return [&live](const httplib::Request&, httplib::Response& res) {
        std::shared_ptr<SseClient> client = live.hub().subscribe(live.hello());
        if (!client) {
            res.status = 503;
            res.set_content("{\"error\":\"too many live streams open\"}", "application/json; charset=utf-8");
            return;
        }
        res.set_header("Cache-Control", "no-store");
        auto last_write = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
        res.set_chunked_content_provider(
            "text/event-stream",
            [client, last_write](std::size_t, httplib::DataSink& sink) {
                // Called again and again on this client's thread while it returns true.
                std::string batch = client->next_batch(poll);
                if (client->closed()) return false;
                const auto now = std::chrono::steady_clock::now();
                if (batch.empty() && now - *last_write >= keep_alive_every) batch = ": keep-alive\n\n";
                if (batch.empty()) return sink.is_writable();
                *last_write = now;
                // A client that stops reading fails this write after the server's
                // write timeout; the stream then ends and the client is dropped.
                return sink.write(batch.data(), batch.size());
            },
            [&live, client](bool) { live.hub().unsubscribe(client); });
    };
}

}  // namespace tcpviz::serve
