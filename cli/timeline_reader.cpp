#include "timeline_reader.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "tcpviz/analysis_flags.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz {
namespace {

using Json = nlohmann::json;

// What is wrong and where; caught once, in read_timeline.
struct Invalid : std::runtime_error {
    using std::runtime_error::runtime_error;
};

[[noreturn]] void invalid(const std::string& where, const std::string& what) { throw Invalid(where + ": " + what); }

const Json* find(const Json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const Json& require(const Json& object, const char* key, const std::string& where) {
    const Json* v = find(object, key);
    if (v == nullptr) invalid(where, std::string("missing \"") + key + "\"");
    return *v;
}

std::string at(const std::string& where, const char* key) { return where.empty() ? key : where + "." + key; }

std::uint64_t to_uint(const Json& v, const std::string& where, std::uint64_t max) {
    if (v.is_number_unsigned() && v.get<std::uint64_t>() <= max) return v.get<std::uint64_t>();
    if (v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
        static_cast<std::uint64_t>(v.get<std::int64_t>()) <= max) {
        return static_cast<std::uint64_t>(v.get<std::int64_t>());
    }
    invalid(where, "not an integer from 0 to " + std::to_string(max));
}

std::optional<std::uint32_t> to_uint32_or_null(const Json* v, const std::string& where) {
    if (v == nullptr || v->is_null()) return std::nullopt;
    return static_cast<std::uint32_t>(to_uint(*v, where, std::numeric_limits<std::uint32_t>::max()));
}

double to_seconds(const Json& v, const std::string& where) {
    if (!v.is_number()) invalid(where, "not a number of seconds");
    const double s = v.get<double>();
    if (!std::isfinite(s) || std::fabs(s) >= max_timeline_seconds) invalid(where, "a time out of range (seconds)");
    return s;
}

std::string to_string(const Json& v, const std::string& where) {
    if (!v.is_string()) invalid(where, "not a string");
    return v.get<std::string>();
}

std::string optional_string(const Json& object, const char* key, const std::string& where) {
    const Json* v = find(object, key);
    return v == nullptr ? std::string() : to_string(*v, at(where, key));
}

bool optional_bool(const Json& object, const char* key, const std::string& where) {
    const Json* v = find(object, key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) invalid(at(where, key), "not true or false");
    return v->get<bool>();
}

const Json& object_at(const Json& v, const std::string& where) {
    if (!v.is_object()) invalid(where, "not an object");
    return v;
}

const Json& array_at(const Json& v, const std::string& where) {
    if (!v.is_array()) invalid(where, "not an array");
    return v;
}

// A string that must be one of `names` (a list of the schema).
template <typename Names>
std::string one_of(const Json& v, const Names& names, const std::string& where) {
    const std::string s = to_string(v, where);
    for (const auto& name : names) {
        if (s == name) return s;
    }
    invalid(where, "not a known name");
}

const std::vector<std::string>& flag_list() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        std::stringstream all(flag_names(0xFFFF, ','));
        for (std::string name; std::getline(all, name, ',');) out.push_back(name);
        return out;
    }();
    return names;
}

const std::vector<std::string>& state_list() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (int s = 0; s <= static_cast<int>(TcpState::last_ack); ++s)
            out.emplace_back(name_of(static_cast<TcpState>(s)));
        return out;
    }();
    return names;
}

std::vector<std::string> name_array(const Json& object, const char* key, const std::string& where) {
    std::vector<std::string> out;
    const Json* v = find(object, key);
    if (v == nullptr) return out;
    const std::string here = at(where, key);
    for (const Json& name : array_at(*v, here)) out.push_back(one_of(name, finding_names, here));
    return out;
}

void read_flags(const Json& e, const std::string& where, TimelineEvent& out) {
    const Json* v = find(e, "flags");
    if (v == nullptr || v->is_null()) return;
    const std::string here = at(where, "flags");
    out.flags.emplace();
    for (const Json& f : array_at(*v, here)) out.flags->push_back(one_of(f, flag_list(), here));
}

void read_states(const Json& e, const std::string& where, TimelineEvent& out) {
    const Json* v = find(e, "states");
    if (v == nullptr) return;
    const std::string here = at(where, "states");
    for (const Json& sc : array_at(*v, here)) {
        object_at(sc, here);
        const std::string side = one_of(require(sc, "side", here), std::array{"client", "server"}, at(here, "side"));
        out.states.emplace_back(side == "server" ? Side::server : Side::client,
                                one_of(require(sc, "to", here), state_list(), at(here, "to")));
    }
}

void read_note(const Json& e, const std::string& where, TimelineEvent& out) {
    out.note = optional_string(e, "note", where);
    out.note_id = optional_string(e, "note_id", where);
    for (const char c : out.note_id) {
        if (!(c == '_' || (c >= 'a' && c <= 'z'))) invalid(at(where, "note_id"), "not a note id");
    }
    const Json* args = find(e, "note_args");
    if (args == nullptr) return;
    const std::string here = at(where, "note_args");
    if (!args->is_array() || args->size() != 3) invalid(here, "not an array of 3 numbers");
    std::array<std::uint32_t, 3> values{};
    for (std::size_t i = 0; i < 3; ++i) {
        values[i] = static_cast<std::uint32_t>(to_uint((*args)[i], here, std::numeric_limits<std::uint32_t>::max()));
    }
    out.note_args = values;
}

TimelineEvent read_event(const Json& e, const std::string& where) {
    object_at(e, where);
    TimelineEvent out;
    out.frame = to_uint(require(e, "frame", where), at(where, "frame"), std::numeric_limits<std::uint64_t>::max());
    out.t = to_seconds(require(e, "t", where), at(where, "t"));
    const Json* conn = find(e, "conn");
    if (conn != nullptr && !conn->is_null()) {
        out.conn = static_cast<std::int64_t>(
            to_uint(*conn, at(where, "conn"), static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
    }
    out.to_server = one_of(require(e, "dir", where), std::array{"c2s", "s2c"}, at(where, "dir")) == "c2s";
    read_flags(e, where, out);
    out.seq = to_uint32_or_null(find(e, "seq"), at(where, "seq"));
    out.ack = to_uint32_or_null(find(e, "ack"), at(where, "ack"));
    out.len = to_uint32_or_null(find(e, "len"), at(where, "len"));
    out.win = to_uint32_or_null(find(e, "win"), at(where, "win"));
    out.payload = optional_string(e, "payload", where);
    out.analysis = name_array(e, "analysis", where);
    out.unreported_analysis = name_array(e, "unreported_analysis", where);
    if (const Json* dup = find(e, "dup_ack")) {
        const std::string here = at(where, "dup_ack");
        out.dup_ack_num = to_uint(require(object_at(*dup, here), "num", here), at(here, "num"),
                                  std::numeric_limits<std::uint64_t>::max());
    }
    out.truncated = optional_bool(e, "truncated", where);
    out.malformed = optional_bool(e, "malformed", where);
    read_states(e, where, out);
    read_note(e, where, out);
    return out;
}

std::optional<TimelineEndpoint> read_endpoint(const Json& c, const char* key, const std::string& where) {
    const Json* v = find(c, key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    const std::string here = at(where, key);
    object_at(*v, here);
    TimelineEndpoint ep;
    ep.ip = optional_string(*v, "ip", here);
    if (const Json* port = find(*v, "port"))
        ep.port = static_cast<std::uint16_t>(to_uint(*port, at(here, "port"), 65535));
    return ep;
}

TimelineConnection read_connection(const Json& c, const std::string& where) {
    object_at(c, where);
    TimelineConnection out;
    out.id = to_uint(require(c, "id", where), at(where, "id"),
                     static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
    out.client = read_endpoint(c, "client", where);
    out.server = read_endpoint(c, "server", where);
    return out;
}

TimelineStats read_stats(const Json& s, const std::string& where) {
    object_at(s, where);
    TimelineStats out;
    out.first_frame_time = optional_string(s, "first_frame_time", where);
    if (const Json* d = find(s, "duration")) out.duration = to_seconds(*d, at(where, "duration"));
    return out;
}

void check_header(const Json& h, const std::string& where) {
    const Json* format = find(h, "format");
    if (format == nullptr || !format->is_string() || format->get<std::string>() != "tcpviz-timeline") {
        invalid(where, "not a tcpviz timeline (no \"format\": \"tcpviz-timeline\")");
    }
    const Json* version = find(h, "version");
    if (version == nullptr || !version->is_number_integer() || version->get<std::int64_t>() != 1) {
        invalid(at(where, "version"), "not 1, the only version this tcpviz reads");
    }
}

Timeline read_document(const Json& doc) {
    if (!doc.is_object()) invalid("timeline", "not a JSON object");
    check_header(doc, "timeline");
    Timeline t;
    const Json& events = array_at(require(doc, "events", "timeline"), "events");
    t.events.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i)
        t.events.push_back(read_event(events[i], "events[" + std::to_string(i) + "]"));
    if (const Json* connections = find(doc, "connections")) {
        array_at(*connections, "connections");
        for (std::size_t i = 0; i < connections->size(); ++i) {
            t.connections.push_back(read_connection((*connections)[i], "connections[" + std::to_string(i) + "]"));
        }
    }
    if (const Json* stats = find(doc, "stats")) t.stats = read_stats(*stats, "stats");
    return t;
}

// NDJSON: a header line, then events, connections and the stats, one object a line.
Timeline read_lines(std::string_view text) {
    Timeline t;
    t.ndjson = true;
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        const std::string where = "line " + std::to_string(line_number);
        Json value;
        try {
            value = Json::parse(line);
        } catch (const Json::exception& e) {
            invalid(where, std::string("not valid JSON: ") + e.what());
        }
        object_at(value, where);
        const std::string type = optional_string(value, "type", where);
        if (line_number == 1) {
            check_header(value, where);
        } else if (type == "event") {
            t.events.push_back(read_event(value, where));
        } else if (type == "connection") {
            t.connections.push_back(read_connection(value, where));
        } else if (type == "stats") {
            t.stats = read_stats(value, where);
        } else {
            invalid(at(where, "type"), "not event, connection or stats");
        }
    }
    return t;
}

bool is_ndjson_header(std::string_view text) {
    const std::string_view first = text.substr(0, text.find('\n'));
    try {
        const Json line = Json::parse(first);
        const Json* type = line.is_object() ? find(line, "type") : nullptr;
        return type != nullptr && type->is_string() && type->get<std::string>() == "header";
    } catch (const Json::exception&) {
        return false;  // a document spread over lines, or not JSON at all
    }
}

}  // namespace

std::optional<Timeline> read_timeline(std::string_view text, std::string& error) {
    try {
        if (is_ndjson_header(text)) return read_lines(text);
        Json doc;
        try {
            doc = Json::parse(text);
        } catch (const Json::exception& e) {
            error = std::string("not valid JSON: ") + e.what();
            return std::nullopt;
        }
        return read_document(doc);
    } catch (const Invalid& e) {
        error = e.what();
    } catch (const std::bad_alloc&) {
        error = "too big to read into memory";
    } catch (const std::exception& e) {
        error = std::string("cannot read the timeline: ") + e.what();
    }
    return std::nullopt;
}

std::optional<Timeline> read_timeline_file(const std::string& path, std::string& error) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    return read_timeline(text.str(), error);
}

}  // namespace tcpviz
