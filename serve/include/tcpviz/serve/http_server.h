// The HTTP side of `tcpviz serve`, on cpp-httplib (Debian's libcpp-httplib-dev):
// the page files from memory, the API, and the live stream, with the limits
// that keep one misbehaving client from taking the server down.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "tcpviz/serve/api_routes.h"
#include "tcpviz/serve/page_files.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace tcpviz::serve {

struct ServerLimits {
    // Requests served at once. cpp-httplib gives each connection a thread for
    // its life, keep-alive included: 30 students' browsers need room.
    std::size_t threads = 32;
    std::size_t queued = 64;           // accepted connections waiting for a thread; then accept() waits
    std::size_t max_body = 1024;       // a read-only server needs no request bodies
    int read_timeout_s = 5;            // a request must arrive within this
    int write_timeout_s = 5;           // a client that stops reading is dropped after this
    std::size_t keep_alive_max = 100;  // requests per connection
    int keep_alive_timeout_s = 2;      // an idle keep-alive connection gives its thread back soon
};

class HttpServer {
public:
    using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

    HttpServer(const PageFiles& page, ApiContext api, const ServerLimits& limits);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // The live stream's handler (GET /api/live/events); without it that path is a 404.
    void set_live_handler(Handler handler);

    // Binds (port 0: any free port). False with `error` set.
    bool bind(const std::string& address, int port, std::string& error);
    int port() const { return port_; }
    // Serves until stop(); returns false if it could not listen.
    bool run();
    void stop();

private:
    void install_routes();

    const PageFiles& page_;
    ApiContext api_;
    ServerLimits limits_;
    std::unique_ptr<httplib::Server> server_;
    Handler live_;
    int port_ = 0;
};

}  // namespace tcpviz::serve
