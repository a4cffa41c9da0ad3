#include "timeline.h"

#include <cstdlib>
#include <fstream>

namespace tcpviz::lab {

std::optional<Timeline> Timeline::load(const std::string& path, std::string& error) {
    std::ifstream in(path);
    if (!in) {
        error = "cannot open it";
        return std::nullopt;
    }
    Timeline t;
    try {
        t.json_ = Json::parse(in);
    } catch (const Json::exception& e) {
        error = std::string("not JSON: ") + e.what();
        return std::nullopt;
    }
    if (!t.json_.is_object() || t.json_.value("format", "") != "tcpviz-timeline" || !t.json_["events"].is_array() ||
        !t.json_["connections"].is_array()) {
        error = "not a tcpviz timeline";
        return std::nullopt;
    }
    tell_lies_if_asked(t.json_);
    for (const Json& c : t.json_["connections"]) {
        const std::size_t id = static_cast<std::size_t>(number(c, "id", 0));
        if (id >= t.connections_.size()) t.connections_.resize(id + 1);
        t.connections_[id] = c;
    }
    t.by_conn_.resize(t.connections_.size());
    for (const Json& e : t.json_["events"]) {
        t.all_.push_back(&e);
        const long long conn = number(e, "conn");
        if (conn >= 0 && static_cast<std::size_t>(conn) < t.by_conn_.size()) t.by_conn_[conn].push_back(&e);
    }
    return t;
}

const std::vector<const Json*>& Timeline::events(int conn) const {
    static const std::vector<const Json*> none;
    if (conn < 0) return all_;
    return static_cast<std::size_t>(conn) < by_conn_.size() ? by_conn_[conn] : none;
}

std::vector<const Json*> Timeline::kernel(std::size_t conn, const std::string& side) const {
    std::vector<const Json*> samples;
    if (conn >= connections_.size()) return samples;
    const Json& c = connections_[conn];
    if (!c.contains("kernel") || !c["kernel"].is_array()) return samples;
    for (const Json& s : c["kernel"]) {
        if (str(s, "side") == side) samples.push_back(&s);
    }
    return samples;
}

bool has(const Json& event, const char* analysis) {
    if (!event.contains("analysis") || !event["analysis"].is_array()) return false;
    for (const Json& name : event["analysis"]) {
        if (name.is_string() && name.get<std::string>() == analysis) return true;
    }
    return false;
}

bool flag(const Json& event, const char* name) {
    if (!event.contains("flags") || !event["flags"].is_array()) return false;
    for (const Json& f : event["flags"]) {
        if (f.is_string() && f.get<std::string>() == name) return true;
    }
    return false;
}

long long number(const Json& object, const char* key, long long otherwise) {
    if (!object.is_object()) return otherwise;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number()) return otherwise;
    return it->is_number_float() ? static_cast<long long>(it->get<double>()) : it->get<long long>();
}

double real(const Json& object, const char* key, double otherwise) {
    if (!object.is_object()) return otherwise;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number()) return otherwise;
    return it->get<double>();
}

std::string str(const Json& object, const char* key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

void tell_lies_if_asked(Json& timeline) {
    const char* lie = std::getenv("TCPVIZ_LAB_LIE");
    if (lie == nullptr || *lie == '\0') return;
    for (Json& e : timeline["events"]) {
        e["analysis"] = Json::array();
        Json flags = Json::array();
        for (const Json& f : e["flags"]) {
            if (f != "RST" && f != "SYN" && f != "FIN") flags.push_back(f);
        }
        e["flags"] = flags;
    }
    // An empty capture (unix-socket's point) is doctored too: a segment that was never there.
    if (timeline["events"].empty()) {
        timeline["events"].push_back({{"frame", 1},
                                      {"t", 0.0},
                                      {"conn", 0},
                                      {"dir", "c2s"},
                                      {"flags", {"ACK"}},
                                      {"seq", 1},
                                      {"ack", 1},
                                      {"len", 0},
                                      {"win", 0},
                                      {"analysis", Json::array()}});
    }
    for (Json& c : timeline["connections"]) {
        if (!c.contains("kernel")) continue;
        for (Json& s : c["kernel"]) {
            s["ca_state"] = "open";
            s["cwnd"] = 10;
            s["ssthresh"] = nullptr;
        }
    }
}

}  // namespace tcpviz::lab
