// Helpers the scenarios share: finding segments in the timeline, reasons a
// capture cannot answer, and the peers most labs run.
#pragma once

#include <functional>
#include <string>

#include "../peers.h"
#include "../scenario.h"

namespace tcpviz::lab {

using EventTest = std::function<bool(const Json&)>;

// The first event of connection `conn` (-1: any) that passes `test`; nullptr when none.
const Json* find_event(const Timeline& t, int conn, const EventTest& test);
// Every event of connection `conn` that passes `test`.
std::vector<const Json*> find_events(const Timeline& t, int conn, const EventTest& test);
std::string frame(const Json* e);                 // its frame number as text
double ms_between(const Json& a, const Json& b);  // b.t - a.t in milliseconds
bool is_c2s(const Json& e);
long long seq_end(const Json& e);  // relative seq + len (+1 for SYN or FIN)

// Reasons a capture cannot answer, in both languages.
namespace why {
inline constexpr Text no_connection{"it holds no TCP connection", "其中没有任何 TCP 连接"};
inline constexpr Text no_syn{"it does not hold the SYN that opens the connection", "其中没有打开连接的 SYN 报文段"};
inline constexpr Text no_rst{"it holds no RST segment", "其中没有 RST 报文段"};
inline constexpr Text no_kernel{"it has no kernel TCP_INFO samples (only a live lab records them)",
                                "其中没有内核 TCP_INFO 采样（只有现场运行的实验才会记录）"};
}  // namespace why

// The peers of the simplest labs, run in a namespace with spawn_in: a server
// that accepts one connection, reads to the end and closes; a client that
// connects, sends `bytes` and closes.
Child spawn_sink(const Host& server, int port, const SocketKnobs& knobs = {});
Child spawn_sender(const Host& client, const Host& server, int port, std::size_t bytes, const SocketKnobs& knobs = {});

}  // namespace tcpviz::lab
