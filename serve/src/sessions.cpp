#include "tcpviz/serve/sessions.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "tcpviz/json_text.h"

namespace tcpviz::serve {
namespace {

bool is_capture_name(const std::string& name) {
    for (const char* ext : {".pcap", ".pcapng", ".cap"}) {
        const std::string e = ext;
        if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) return true;
    }
    return false;
}

std::string base_name(const std::string& path) {
    std::string name = std::filesystem::path(path).filename().string();
    return name.empty() ? path : name;
}

}  // namespace

Sessions::~Sessions() {
    stop();
    wait_indexed();
}

std::size_t Sessions::add(std::unique_ptr<Session> session) {
    sessions_.push_back(std::move(session));
    return sessions_.size() - 1;
}

bool Sessions::add_inputs(const std::vector<std::string>& inputs, std::string& error, std::uint64_t checkpoint_every) {
    for (const std::string& input : inputs) {
        struct stat st {};
        if (::stat(input.c_str(), &st) != 0) {
            error = input + ": " + std::strerror(errno);
            return false;
        }
        std::vector<std::string> files;
        if (S_ISDIR(st.st_mode)) {
            std::error_code ec;
            for (const auto& entry : std::filesystem::directory_iterator(input, ec)) {
                // symlink_status: links inside a directory are not followed.
                if (std::filesystem::is_regular_file(entry.symlink_status(ec)) &&
                    is_capture_name(entry.path().filename().string())) {
                    files.push_back(entry.path().string());
                }
            }
            if (ec) {
                error = input + ": " + ec.message();
                return false;
            }
            std::sort(files.begin(), files.end());
            if (files.empty()) {
                error = input + ": no capture (*.pcap, *.pcapng, *.cap) in this directory";
                return false;
            }
        } else if (S_ISREG(st.st_mode)) {
            files.push_back(input);
        } else {
            error = input + ": not a file or a directory";
            return false;
        }
        for (const std::string& f : files) {
            auto session = std::make_unique<CaptureSession>(f, base_name(f), checkpoint_every);
            captures_.push_back(session.get());
            sessions_.push_back(std::move(session));
        }
    }
    return true;
}

void Sessions::start_indexing(std::function<void(const CaptureSession&, bool done)> on_progress) {
    indexer_ = std::thread([this, on_progress = std::move(on_progress)] {
        for (CaptureSession* c : captures_) {
            if (stopping_) break;
            // A reporter beside the indexing: the index itself only stores counters.
            std::atomic<bool> done{false};
            std::thread reporter;
            if (on_progress) {
                reporter = std::thread([&] {
                    while (!done) {
                        std::this_thread::sleep_for(std::chrono::milliseconds(250));
                        if (!done) on_progress(*c, false);
                    }
                });
            }
            c->index();
            done = true;
            if (reporter.joinable()) reporter.join();
            if (on_progress) on_progress(*c, true);
        }
    });
}

void Sessions::wait_indexed() {
    if (indexer_.joinable()) indexer_.join();
}

void Sessions::stop() {
    stopping_ = true;
    for (CaptureSession* c : captures_) c->cancel();
}

std::string Sessions::list_json() const {
    std::string out = "[";
    for (std::size_t id = 0; id < sessions_.size(); ++id) {
        const SessionSummary s = sessions_[id]->summary();
        if (id > 0) out += ',';
        out += "{\"id\":" + std::to_string(id) + ",\"name\":";
        json::append_string(out, s.name);
        out += ",\"source\":";
        json::append_string(out, s.source);
        out += ",\"segments\":" + std::to_string(s.segments) + ",\"connections\":" + std::to_string(s.connections) +
               ",\"packets\":" + std::to_string(s.packets) + ",\"ready\":" + (s.ready ? "true" : "false");
        char numbers[96];
        std::snprintf(numbers, sizeof numbers, ",\"progress\":%.3f,\"duration\":%.6f", s.progress, s.duration);
        out += numbers;
        if (!s.error.empty()) {
            out += ",\"error\":";
            json::append_string(out, s.error);
        }
        out += '}';
    }
    out += ']';
    return out;
}

}  // namespace tcpviz::serve
