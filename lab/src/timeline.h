// The JSON timeline a lab answers from (analyzer/TIMELINE.md): the segments
// of each connection and the kernel's TCP_INFO samples beside them. Every
// number a lab prints comes through here.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tcpviz::lab {

using Json = nlohmann::json;

std::string str(const Json& object, const char* key);

class Timeline {
public:
    // nullopt with `error` set when the file is not a tcpviz timeline.
    static std::optional<Timeline> load(const std::string& path, std::string& error);

    std::size_t connection_count() const { return connections_.size(); }
    const Json& connection(std::size_t id) const { return connections_.at(id); }
    // The segments of one connection, in capture order; all of them for -1.
    const std::vector<const Json*>& events(int conn = -1) const;
    // The kernel's samples of one side ("client" or "server") of a connection.
    std::vector<const Json*> kernel(std::size_t conn, const std::string& side) const;
    // The capture it was made from ("source").
    std::string source() const { return json_.contains("source") ? str(json_["source"], "file") : std::string{}; }

private:
    Json json_;
    std::vector<Json> connections_;  // by id
    std::vector<const Json*> all_;
    std::vector<std::vector<const Json*>> by_conn_;
};

// Helpers over one event: an analysis name, a TCP flag, a number that may be null.
bool has(const Json& event, const char* analysis);
bool flag(const Json& event, const char* name);
long long number(const Json& object, const char* key, long long otherwise = -1);
double real(const Json& object, const char* key, double otherwise = -1);
std::string str(const Json& object, const char* key);

// For the test that checks the checks: when TCPVIZ_LAB_LIE is set, the timeline
// is doctored on loading (every analysis name and RST/SYN/FIN flag removed,
// the kernel's samples flattened), so each lab's check must fail.
void tell_lies_if_asked(Json& timeline);

}  // namespace tcpviz::lab
