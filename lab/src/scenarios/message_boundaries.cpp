// message-boundaries: one send() is not one recv(). A writer makes six
// send() calls (five short lines back to back, then one of 6000 bytes with
// MSS 1000); the reader logs each recv() and finds the lines by their '\n'
// (tutorials/programs/boundary_*.c). The sends, the segments and the
// recv() calls are three different lists, shown side by side in time.
#include <cstdio>

#include "common.h"
#include "programs.h"

namespace tcpviz::lab {
namespace {

constexpr const char* writer_artifact = "message-boundaries.writer.txt";  // the writer's send() log
constexpr const char* reader_artifact = "message-boundaries.reader.txt";  // the reader's recv() and line log

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    const std::string writer_log = artifact_path(s, writer_artifact), reader_log = artifact_path(s, reader_artifact);
    const std::string reader_err = reader_log + ".err";
    for (const std::string& f : {writer_log, reader_log, reader_err}) std::remove(f.c_str());  // a rerun's --out
    segments_as_on_a_wire(s, path.client.netns);
    s.start_capture(path, port);
    Child reader = start_shell(s, path.server.netns,
                               sh_quote(tutorial_program("tcpviz-boundary-reader")) + " " + std::to_string(port) +
                                   " 4096 200 > " + sh_quote(reader_log) + " 2> " + sh_quote(reader_err),
                               reader_log + ".log");
    for (int i = 0; i < 250 && read_text(reader_err).find("listening") == std::string::npos; ++i) pause_for(0.02);
    Child writer = start_shell(s, path.client.netns,
                               sh_quote(tutorial_program("tcpviz-boundary-writer")) + " " + path.server.address + " " +
                                   std::to_string(port) + " 1000 > " + sh_quote(writer_log),
                               writer_log + ".log");
    finish(writer, 15, "tcpviz-boundary-writer");
    finish(reader, 10, "tcpviz-boundary-reader");
    s.stop_capture();
}

// The capture's first frame, in seconds since 1970 (the programs' clock); 0 when unknown.
double first_frame_time(const Timeline& t) {
    std::string error;
    const std::vector<RawFrame> frames = read_frames(t.source(), error);
    return frames.empty() ? 0 : frames.front().time;
}

bool have_logs(const Timeline& t) { return has_artifact(t, writer_artifact) && has_artifact(t, reader_artifact); }

std::vector<const Json*> client_data(const Timeline& t) {
    return find_events(t, 0, [](const Json& e) { return is_c2s(e) && number(e, "len", 0) > 0; });
}

std::string list_of(const std::vector<long long>& values) {
    std::string out;
    for (long long v : values) out += (out.empty() ? "" : ", ") + num(v);
    return out;
}

std::vector<long long> bytes_of(const std::vector<Call>& calls) {
    std::vector<long long> out;
    for (const Call& c : calls) out.push_back(c.bytes);
    return out;
}

Answer sends(const Timeline& t) {
    if (!have_logs(t)) return cannot(why::no_program_output);
    const auto calls = parse_calls(artifact(t, writer_artifact), "send()");
    return answer({{"count", num(static_cast<long long>(calls.size()))}, {"sizes", list_of(bytes_of(calls))}},
                  num(static_cast<long long>(calls.size())));
}

Answer segments(const Timeline& t) {
    const auto data = client_data(t);
    if (data.empty()) return cannot({"it holds no data from the client", "其中没有客户端发出的数据"});
    std::vector<long long> lens;
    for (const Json* e : data) lens.push_back(number(*e, "len", 0));
    return answer({{"count", num(static_cast<long long>(lens.size()))},
                   {"sizes", list_of(lens)},
                   {"first", frame(data.front())},
                   {"last", frame(data.back())}},
                  num(static_cast<long long>(lens.size())));
}

Answer recvs(const Timeline& t) {
    if (!have_logs(t)) return cannot(why::no_program_output);
    const auto calls = parse_calls(artifact(t, reader_artifact), "recv()");
    return answer({{"count", num(static_cast<long long>(calls.size()))}, {"sizes", list_of(bytes_of(calls))}},
                  num(static_cast<long long>(calls.size())));
}

// The reader's "line N = BYTES, recv() #A-#B" lines.
struct Line {
    long long number = 0, bytes = 0, first = 0, last = 0;
};
std::vector<Line> lines_read(const std::string& text) {
    std::vector<Line> lines;
    std::size_t at = 0;
    while ((at = text.find("line ", at)) != std::string::npos) {
        Line l;
        if (std::sscanf(text.c_str() + at, "line %lld = %lld, recv() #%lld-#%lld", &l.number, &l.bytes, &l.first,
                        &l.last) == 4) {
            lines.push_back(l);
        }
        at += 5;
    }
    return lines;
}

// A recv() that returned more than one line, and a line that took more than one recv().
struct Boundaries {
    long long coalesced_recv = 0, coalesced_lines = 0, split_line = 0, split_bytes = 0, split_first = 0, split_last = 0;
};
Boundaries boundaries(const Timeline& t) {
    Boundaries b;
    const std::vector<Line> lines = lines_read(artifact(t, reader_artifact));
    for (const Line& l : lines) {
        long long in_same = 0;
        for (const Line& other : lines) in_same += other.first == l.last && other.last == l.last ? 1 : 0;
        if (in_same > 1 && b.coalesced_recv == 0) b.coalesced_recv = l.last, b.coalesced_lines = in_same;
        if (l.last > l.first && b.split_line == 0)
            b.split_line = l.number, b.split_bytes = l.bytes, b.split_first = l.first, b.split_last = l.last;
    }
    return b;
}

Answer which(const Timeline& t) {
    if (!have_logs(t)) return cannot(why::no_program_output);
    const Boundaries b = boundaries(t);
    return answer({{"recv", num(b.coalesced_recv)},
                   {"lines", num(b.coalesced_lines)},
                   {"line", num(b.split_line)},
                   {"bytes", num(b.split_bytes)},
                   {"from", num(b.split_first)},
                   {"to", num(b.split_last)}});
}

// Every send(), client data segment and recv() in time order, milliseconds after the first frame.
std::string side_by_side(const Timeline& t, Lang lang, double first_frame_time) {
    struct Row {
        double t;
        std::string text;
    };
    std::vector<Row> rows;
    for (const Call& c : parse_calls(artifact(t, writer_artifact), "send()"))
        rows.push_back({c.t - first_frame_time, "send()  " + num(c.bytes)});
    for (const Call& c : parse_calls(artifact(t, reader_artifact), "recv()"))
        rows.push_back({c.t - first_frame_time, "                                recv()  " + num(c.bytes)});
    for (const Json* e : client_data(t)) {
        const std::string seg = lang == Lang::zh ? "第 " + frame(e) + " 帧 len=" : "frame " + frame(e) + " len=";
        rows.push_back({real(*e, "t", 0), "                " + seg + num(number(*e, "len", 0))});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.t < b.t; });
    std::string out;
    char when[32];
    for (const Row& r : rows) {
        std::snprintf(when, sizeof when, "%10.3f ms  ", r.t * 1000.0);
        out += std::string("\n    ") + when + r.text;
    }
    return out;
}

Answer timeline_of_calls(const Timeline& t) {
    const double first = first_frame_time(t);
    if (!have_logs(t) || first == 0) return cannot(why::no_program_output);
    return answer({{"table_en", side_by_side(t, Lang::en, first)}, {"table_zh", side_by_side(t, Lang::zh, first)}});
}

Verdict check(const Timeline& t) {
    const Json* fin = find_event(t, 0, [](const Json& e) { return is_c2s(e) && flag(e, "FIN"); });
    if (!have_logs(t)) {
        for (const Json* e : client_data(t)) {
            const std::string bytes = preview_bytes(str(*e, "payload"));
            const long long lines = static_cast<long long>(std::count(bytes.begin(), bytes.end(), '\n'));
            if (lines > 1 && fin) {
                return {true,
                        {"frame {frame} carried {lines} lines in one segment.",
                         "第 {frame} 帧一个报文段里装了 {lines} 行。"},
                        {{"frame", frame(e)}, {"lines", num(lines)}}};
            }
        }
        return {false, {"no segment carrying several lines.", "没有哪个报文段装着好几行。"}, {}};
    }
    const Boundaries b = boundaries(t);
    if (fin && b.coalesced_recv > 0 && b.split_line > 0) {
        return {
            true,
            {"recv() #{recv} returned {lines} messages at once, and message {line} ({bytes} bytes) took recv() #{from} "
             "to #{to}; the writer's FIN is frame {fin}.",
             "第 {recv} 次 recv() 一次返回了 {lines} 条消息，第 {line} 条消息（{bytes} 字节）用了第 {from} 到第 {to} "
             "次 "
             "recv()；写端的 FIN 是第 {fin} 帧。"},
            {{"recv", num(b.coalesced_recv)},
             {"lines", num(b.coalesced_lines)},
             {"line", num(b.split_line)},
             {"bytes", num(b.split_bytes)},
             {"from", num(b.split_first)},
             {"to", num(b.split_last)},
             {"fin", frame(fin)}}};
    }
    return {
        false,
        {"the reader's recv() calls matched the writer's messages one to one this time (or the FIN was not captured).",
         "这一次读端的 recv() 与写端的消息恰好一一对应（或者没有抓到 FIN）。"},
        {}};
}

}  // namespace

extern const Scenario message_boundaries_scenario{
    "message-boundaries",
    {"Message boundaries: one send() is not one recv()", "消息边界：一次 send() 不等于一次 recv()"},
    {"TCP is a byte stream: messages coalesce and split", "TCP 是字节流：消息会合并，也会拆开"},
    false,
    {"tcpviz-boundary-writer makes six send() calls: five 10-byte lines back to back, then, half a second later,\n"
     "one line of 6000 bytes, with its MSS set to 1000. tcpviz-boundary-reader waits 200 ms, then calls recv()\n"
     "with a 4096-byte buffer until the FIN, logging each call, and finds the lines by their '\\n'.",
     "tcpviz-boundary-writer 调用六次 send()：先连续发五行短消息，半秒后再发一行 6000 字节的长消息，MSS 设为 1000。\n"
     "tcpviz-boundary-reader 先等 200 毫秒，然后用 4096 字节的缓冲区反复 recv() 直到 FIN，记下每一次调用，\n"
     "再按 '\\n' 找出一条条消息。"},
    {"The data segments' lengths: they follow neither the send() calls nor the recv() calls. Then the answers\n"
     "below put the three side by side.",
     "数据报文段的长度：它既不对应 send() 的次数，也不对应 recv() 的次数。下面的答案把三者并排列出。"},
    run,
    nullptr,
    {
        {{"How many send() calls did the writer make, of how many bytes each?",
          "写端调用了几次 send()？每次多少字节？"},
         {"{count}: {sizes}.", "{count} 次：{sizes}。"},
         sends},
        {{"How many data segments did the client send, and how long was each?", "客户端发出了几个数据报文段？各多长？"},
         {"{count} segments (frames {first} to {last}): {sizes} bytes.",
          "{count} 个报文段（第 {first} 到第 {last} 帧）：{sizes} 字节。"},
         segments},
        {{"How many recv() calls did the reader need, and what did each return?",
          "读端调用了几次 recv()？每次返回多少？"},
         {"{count}: {sizes} (then 0: the FIN).", "{count} 次：{sizes}（最后一次返回 0：收到了 FIN）。"},
         recvs},
        {{"Which recv() returned several messages, and which message took several recv() calls?",
          "哪一次 recv() 一次返回了好几条消息？哪一条消息用了好几次 recv()？"},
         {"recv() #{recv} returned {lines} messages at once; message {line} ({bytes} bytes) came in recv() #{from} to "
          "#{to}.",
          "第 {recv} 次 recv() 一次返回了 {lines} 条消息；第 {line} 条消息（{bytes} 字节）分在第 {from} 到第 {to} 次 "
          "recv() 里。"},
         which},
        {{"Side by side in time: each send(), each data segment, each recv().",
          "按时间并排：每次 send()、每个数据报文段、每次 recv()。"},
         {"milliseconds after the first frame; send() on the left, segments in the middle, recv() on the "
          "right:{table_en}",
          "时间为第一帧之后的毫秒数；左边是 send()，中间是报文段，右边是 recv()：{table_zh}"},
         timeline_of_calls},
    },
    check,
};

}  // namespace tcpviz::lab
