// handshake: the three-way handshake and the first seq/ack numbers.
#include <sys/socket.h>

#include "common.h"

namespace tcpviz::lab {
namespace {

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    s.start_capture(path, port);
    Child client = spawn_in(path.client.netns, [&](const ReadyFn&) {
        const int fd = connect_to(path.server.address, port);  // SYN, SYN-ACK, ACK
        const std::string line = "hello\n";
        send_all(fd, line.data(), line.size());
        ::shutdown(fd, SHUT_WR);
        read_to_end(fd);
        close_fd(fd);
        return 0;
    });
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

const Json* syn(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
}
const Json* synack(const Timeline& t) {
    return find_event(t, 0, [](const Json& e) { return flag(e, "SYN") && flag(e, "ACK"); });
}
constexpr Text no_synack{"it holds no SYN-ACK", "其中没有 SYN-ACK"};

Answer client_isn(const Timeline& t) {
    const Json* s = syn(t);
    if (!s) return cannot(why::no_syn);
    return answer({{"isn", num(number(*s, "seq_raw"))}, {"frame", frame(s)}});
}

Answer synack_ack(const Timeline& t) {
    const Json* s = syn(t);
    const Json* sa = synack(t);
    if (!s) return cannot(why::no_syn);
    if (!sa) return cannot(no_synack);
    return answer({{"ack", num(number(*sa, "ack_raw"))}, {"isn", num(number(*s, "seq_raw"))}, {"frame", frame(sa)}},
                  num(number(*sa, "ack_raw")));
}

Answer third(const Timeline& t) {
    const Json* sa = synack(t);
    if (!sa) return cannot(no_synack);
    const Json* a = find_event(t, 0, [&](const Json& e) {
        return is_c2s(e) && flag(e, "ACK") && !flag(e, "SYN") && number(e, "frame") > number(*sa, "frame");
    });
    if (!a) return cannot({"it holds no ACK of the SYN-ACK", "其中没有对 SYN-ACK 的确认"});
    return answer({{"ack", num(number(*a, "ack_raw"))},
                   {"isn", num(number(*sa, "seq_raw"))},
                   {"frame", frame(a)},
                   {"ms", num(ms_between(*syn(t), *a), 3)}},
                  num(number(*a, "ack_raw")));
}

Answer first_data(const Timeline& t) {
    const Json* d = find_event(t, 0, [](const Json& e) { return is_c2s(e) && number(e, "len", 0) > 0; });
    if (!d) return cannot({"the client sends no data in it", "其中客户端没有发送数据"});
    const Json* a = find_event(t, 0, [&](const Json& e) {
        return !is_c2s(e) && flag(e, "ACK") && number(e, "frame") > number(*d, "frame") &&
               number(e, "ack") > number(*d, "seq");
    });
    if (!a) return cannot({"the server's ACK of the data is not in it", "其中没有服务器对数据的确认"});
    return answer({{"frame", frame(d)},
                   {"seq", num(number(*d, "seq"))},
                   {"len", num(number(*d, "len", 0))},
                   {"ack", num(number(*a, "ack"))},
                   {"aframe", frame(a)}},
                  num(number(*a, "ack")));
}

Verdict check(const Timeline& t) {
    const Json* s = syn(t);
    const Json* sa = synack(t);
    if (s && sa && number(*sa, "ack_raw") == (number(*s, "seq_raw") + 1) % 4294967296LL &&
        t.connection(0)["handshake"].value("complete", false)) {
        return {true,
                {"SYN (frame {a}), SYN-ACK acknowledging ISN + 1 (frame {b}), and the ACK that completes it.",
                 "SYN（第 {a} 帧）、确认号为初始序号加 1 的 SYN-ACK（第 {b} 帧），以及完成握手的 ACK。"},
                {{"a", frame(s)}, {"b", frame(sa)}}};
    }
    return {false,
            {"no complete three-way handshake whose SYN-ACK acknowledges the ISN + 1.",
             "没有出现 SYN-ACK 确认号为初始序号加 1 的完整三次握手。"},
            {}};
}

}  // namespace

extern const Scenario handshake_scenario{
    "handshake",
    {"The three-way handshake, seq and ack", "三次握手、序号与确认号"},
    {"connection set-up: the three-way handshake", "建立连接：三次握手"},
    false,
    {"A server calls listen() and accept(); a client calls connect(), sends \"hello\" and closes.",
     "服务器调用 listen() 和 accept()；客户端调用 connect()，发送“hello”，然后关闭。"},
    {"connect() sends the SYN with the client's initial sequence number (ISN); the SYN-ACK carries the server's\n"
     "ISN and ack = client ISN + 1; the client's ACK = server ISN + 1. Then every ack names the next byte expected.",
     "connect() 发出带客户端初始序号的 SYN；SYN-ACK 携带服务器的初始序号，确认号等于客户端初始序号加 1；\n"
     "客户端的 ACK 等于服务器初始序号加 1。之后每个确认号都表示期望收到的下一个字节。"},
    run,
    [](const Timeline&) -> std::pair<long long, long long> {
        return {1, 6};
    },
    {
        {{"What initial sequence number (ISN) does the client's SYN carry?", "客户端的 SYN 携带的初始序号是多少？"},
         {"{isn} (frame {frame}). The ladder shows seq=0: like Wireshark, it counts from the ISN.",
          "{isn}（第 {frame} 帧）。梯形图显示 seq=0，因为它和抓包工具一样从初始序号开始计数。"},
         client_isn},
        {{"What raw ack number does the server's SYN-ACK carry?", "服务器的 SYN-ACK 携带的原始确认号是多少？"},
         {"{ack} (frame {frame}) = the client's ISN {isn} + 1: a SYN takes up one sequence number.",
          "{ack}（第 {frame} 帧），等于客户端初始序号 {isn} 加 1：SYN 占用一个序号。"},
         synack_ack},
        {{"What does the client's third segment acknowledge?", "客户端的第三个报文段确认的是什么？"},
         {"ack={ack} (frame {frame}) = the server's ISN {isn} + 1. The handshake took {ms} ms.",
          "确认号 {ack}（第 {frame} 帧），等于服务器初始序号 {isn} 加 1。握手用了 {ms} 毫秒。"},
         third},
        {{"The client's first data has some seq and len. What ack does the server answer with?",
          "客户端的第一段数据有自己的序号和长度。服务器回复的确认号是多少？"},
         {"Frame {frame} has seq={seq} len={len}; the server answers ack={ack} in frame {aframe}: seq + len, the next "
          "byte it expects.",
          "第 {frame} 帧的序号是 {seq}，长度是 {len}；服务器在第 {aframe} 帧回复确认号 "
          "{ack}：序号加长度，即它期望的下一个字节。"},
         first_data},
    },
    check,
};

}  // namespace tcpviz::lab
