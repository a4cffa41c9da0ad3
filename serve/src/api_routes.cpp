#include "tcpviz/serve/api_routes.h"

#include <vector>

#include "tcpviz/json_text.h"
#include "tcpviz/serve/query.h"

namespace tcpviz::serve {
namespace {

// A failed parameter: the answer to give instead.
struct Bad {
    Answer answer;
};

// The one value of parameter `name`, or nullopt when absent. Throws Bad when
// it is given twice.
std::optional<std::string> single(const Params& params, const std::string& name) {
    const auto [first, last] = params.equal_range(name);
    if (first == last) return std::nullopt;
    if (std::next(first) != last) throw Bad{error_answer(400, name + ": given more than once")};
    return first->second;
}

std::uint64_t count_param(const Params& params, const std::string& name, std::uint64_t fallback, std::uint64_t max) {
    const auto text = single(params, name);
    if (!text) return fallback;
    std::string error;
    const auto value = parse_count(*text, max, error);
    if (!value) throw Bad{error_answer(400, name + ": " + error)};
    return *value;
}

std::optional<double> decimal_param(const Params& params, const std::string& name) {
    const auto text = single(params, name);
    if (!text) return std::nullopt;
    std::string error;
    const auto value = parse_decimal(*text, error);
    if (!value) throw Bad{error_answer(400, name + ": " + error)};
    return value;
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 1;  // past the leading '/'
    while (start <= path.size()) {
        const std::size_t slash = path.find('/', start);
        const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string info_json(const ApiContext& c) {
    std::string out = "{\"tool\":\"tcpviz\",\"version\":";
    json::append_string(out, c.version);
    out += ",\"live\":";
    out += c.live_session ? "true" : "false";
    out += ",\"live_session\":";
    out += c.live_session ? std::to_string(*c.live_session) : "null";
    out += ",\"max_count\":" + std::to_string(max_event_count) + "}";
    return out;
}

Answer session_route(const ApiContext& c, std::uint64_t id, const std::vector<std::string_view>& parts,
                     const Params& params) {
    const Session* s = c.sessions.find(id);
    if (!s) return error_answer(404, "no session " + std::to_string(id));
    const std::string_view what = parts[3];
    if (what == "meta" && parts.size() == 4) {
        Answer a = s->meta();
        if (a.status != 200) return a;
        std::string body = "{\"id\":" + std::to_string(id) + ",\"name\":";
        json::append_string(body, s->summary().name);
        a.body = body + "," + a.body + "}";
        return a;
    }
    if (what == "events" && parts.size() == 4) {
        const std::uint64_t from = count_param(params, "from", 0, std::uint64_t{1} << 53);
        const std::uint64_t count = count_param(params, "count", default_event_count, max_event_count);
        return s->events(from, count);
    }
    if (what == "frame" && parts.size() == 5) {
        std::string error;
        const auto frame = parse_count(parts[4], std::uint64_t{1} << 53, error);
        if (!frame) return error_answer(400, "frame: " + error);
        return s->frame(*frame);
    }
    if (what == "series" && parts.size() == 4) {
        SeriesQuery q;
        const auto conn = single(params, "conn");
        if (!conn) return error_answer(400, "conn: missing");
        q.conn = static_cast<std::uint32_t>(count_param(params, "conn", 0, 0xFFFFFFFEu));
        q.kind = single(params, "kind").value_or("seq");
        if (q.kind != "seq" && q.kind != "win" && q.kind != "kernel") {
            return error_answer(400, "kind: one of seq, win, kernel");
        }
        q.from_t = decimal_param(params, "from_t");
        q.to_t = decimal_param(params, "to_t");
        if (q.from_t && q.to_t && *q.to_t < *q.from_t) return error_answer(400, "to_t: before from_t");
        q.width = static_cast<std::uint32_t>(count_param(params, "width", 1000, max_series_width));
        if (q.width == 0) return error_answer(400, "width: at least 1");
        return s->series(q);
    }
    return error_answer(404, "no such API path");
}

}  // namespace

Answer route_api(const ApiContext& c, std::string_view path, const Params& params) {
    try {
        const std::vector<std::string_view> parts = split_path(path);  // "api", ...
        if (parts.size() == 2 && parts[1] == "info") return Answer{200, info_json(c)};
        if (parts.size() == 2 && parts[1] == "sessions") return Answer{200, c.sessions.list_json()};
        if (parts.size() >= 4 && parts[1] == "sessions") {
            std::string error;
            const auto id = parse_count(parts[2], 1'000'000, error);
            if (!id) return error_answer(404, "no session \"" + std::string(parts[2].substr(0, 40)) + "\"");
            return session_route(c, *id, parts, params);
        }
        return error_answer(404, "no such API path");
    } catch (const Bad& bad) {
        return bad.answer;
    }
}

}  // namespace tcpviz::serve
