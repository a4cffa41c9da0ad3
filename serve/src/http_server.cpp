#include "tcpviz/serve/http_server.h"

#include <httplib.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "tcpviz/serve/host_check.h"

namespace tcpviz::serve {
namespace {

// cpp-httplib's own pool (0.11) queues accepted connections without bound.
// This one holds at most `max_queued`; past that, enqueue() waits, so the
// accepting thread stops accepting and the kernel's backlog pushes back.
class BoundedPool : public httplib::TaskQueue {
public:
    BoundedPool(std::size_t threads, std::size_t max_queued) : max_queued_(max_queued) {
        for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
    }
    ~BoundedPool() override { shutdown(); }

    void enqueue(std::function<void()> fn) override {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [this] { return jobs_.size() < max_queued_ || stopping_; });
        if (stopping_) return;
        jobs_.push_back(std::move(fn));
        ready_.notify_one();
    }

    void shutdown() override {
        {
            std::lock_guard lock(mutex_);
            if (stopping_ && workers_.empty()) return;
            stopping_ = true;
        }
        ready_.notify_all();
        room_.notify_all();
        for (std::thread& t : workers_) t.join();
        workers_.clear();
    }

private:
    void work() {
        while (true) {
            std::function<void()> job;
            {
                std::unique_lock lock(mutex_);
                ready_.wait(lock, [this] { return !jobs_.empty() || stopping_; });
                if (jobs_.empty()) return;  // stopping, and the queue has been drained
                job = std::move(jobs_.front());
                jobs_.pop_front();
            }
            room_.notify_one();
            job();
        }
    }

    std::size_t max_queued_;
    std::mutex mutex_;
    std::condition_variable ready_, room_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> workers_;
    bool stopping_ = false;
};

void send_json(httplib::Response& res, const Answer& a) {
    res.status = a.status;
    res.set_content(a.body, "application/json; charset=utf-8");
}

// cpp-httplib compresses text answers with brotli whenever the browser offers
// it, at brotli's slowest quality: 0.4-0.7 s for the 200 KB page here, most of
// the first screen's time. gzip makes nearly as small an answer in a
// twentieth of that, so the request is left offering gzip alone (if it did).
void offer_gzip_only(httplib::Request& req) {
    const auto offered = req.headers.find("Accept-Encoding");
    if (offered == req.headers.end()) return;
    const bool gzip = offered->second.find("gzip") != std::string::npos;
    req.headers.erase("Accept-Encoding");
    if (gzip) req.headers.emplace("Accept-Encoding", "gzip");
}

std::string machine_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return {};
    return name;
}

}  // namespace

HttpServer::HttpServer(const PageFiles& page, ApiContext api, const ServerLimits& limits)
    : page_(page), api_(std::move(api)), limits_(limits), server_(std::make_unique<httplib::Server>()) {
    const std::size_t threads = limits_.threads, queued = limits_.queued;
    server_->new_task_queue = [threads, queued] { return new BoundedPool(threads, queued); };
    server_->set_payload_max_length(limits_.max_body);
    server_->set_read_timeout(limits_.read_timeout_s, 0);
    server_->set_write_timeout(limits_.write_timeout_s, 0);
    server_->set_keep_alive_max_count(limits_.keep_alive_max);
    server_->set_keep_alive_timeout(limits_.keep_alive_timeout_s);
    install_routes();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::set_live_handler(Handler handler) { live_ = std::move(handler); }

void HttpServer::install_routes() {
    httplib::Server& s = *server_;
    // Read-only: anything but GET and HEAD is refused before routing.
    s.set_pre_routing_handler([machine = machine_name()](const httplib::Request& req, httplib::Response& res) {
        // Another site's name resolving to this server (DNS rebinding) reads nothing.
        if (!host_allowed(req.get_header_value("Host"), machine)) {
            send_json(res, error_answer(403, "Host is not an address or a name of this machine"));
            return httplib::Server::HandlerResponse::Handled;
        }
        if (req.method != "GET" && req.method != "HEAD") {
            res.set_header("Allow", "GET, HEAD");
            send_json(res, error_answer(405, "read-only: only GET and HEAD"));
            return httplib::Server::HandlerResponse::Handled;
        }
        // cpp-httplib answers Range requests with as many parts as asked, even
        // for an error: "bytes=0-,0-,0-..." in an 8 KiB header would multiply
        // an answer a thousand times. Nothing here needs ranges, and a server
        // may ignore them (RFC 9110 14.2): the whole answer is sent. The
        // request is the server's own non-const object, handed over as const.
        const_cast<httplib::Request&>(req).ranges.clear();
        offer_gzip_only(const_cast<httplib::Request&>(req));
        return httplib::Server::HandlerResponse::Unhandled;
    });
    s.Get("/api/live/events", [this](const httplib::Request& req, httplib::Response& res) {
        if (!live_) return send_json(res, error_answer(404, "not serving a live capture (start with --live)"));
        live_(req, res);
    });
    s.Get("/api/.*", [this](const httplib::Request& req, httplib::Response& res) {
        send_json(res, route_api(api_, req.path, req.params));
        res.set_header("Cache-Control", "no-store");
    });
    // The page: looked up by name in the list read at start-up, never on disk.
    s.Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
        const std::string name = req.path == "/" ? "index.html" : req.path.substr(1);
        const PageFile* file = page_.find(name);
        if (!file) return send_json(res, error_answer(404, "not found"));
        res.set_content(file->content, file->mime.c_str());
        res.set_header("Cache-Control", "no-cache");
    });
    s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.body.empty()) {
            send_json(res, error_answer(res.status, res.status == 413 ? "request too large" : "bad request"));
        }
    });
    s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_json(res, error_answer(500, "internal error"));
    });
    s.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) {
        res.set_header("Content-Security-Policy", page_.csp);
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("X-Frame-Options", "DENY");
    });
}

bool HttpServer::bind(const std::string& address, int port, std::string& error) {
    if (port == 0) {
        port_ = server_->bind_to_any_port(address);
        if (port_ <= 0) {
            error = "cannot bind to " + address;
            return false;
        }
        return true;
    }
    if (!server_->bind_to_port(address, port)) {
        error = "cannot bind to " + address + " port " + std::to_string(port) +
                " (in use, or not an address of this machine)";
        return false;
    }
    port_ = port;
    return true;
}

bool HttpServer::run() { return server_->listen_after_bind(); }

void HttpServer::stop() {
    if (server_) server_->stop();
}

}  // namespace tcpviz::serve
