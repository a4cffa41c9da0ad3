// byte-order: a port and an address in this machine's memory, after htons()
// and htonl(), and in the headers of a captured SYN. The program
// (tutorials/programs/byte_order.c) prints the bytes; the capture shows
// which of them went on the wire.
#include "common.h"
#include "programs.h"

namespace tcpviz::lab {
namespace {

constexpr const char* program_output = "byte-order.program.txt";  // what tcpviz-byte-order printed

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = s.root() ? 6666 : pick_port(false);  // the course's port, in a private namespace
    const std::string out = artifact_path(s, program_output);
    Child program = start_shell(s, "",
                                sh_quote(tutorial_program("tcpviz-byte-order")) + " " + std::to_string(port) + " " +
                                    path.server.address + " > " + sh_quote(out),
                                out + ".log");
    finish(program, 10, "tcpviz-byte-order");
    s.start_capture(path, port);
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    Child client = spawn_sender(path.client, path.server, port, 3);
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

const Json* syn(const Timeline& t) {
    return find_event(t, -1, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
}

// The captured SYN's bytes, raw from the pcap: "" when there is none.
RawFrame syn_frame(const Timeline& t) {
    const Json* e = syn(t);
    if (!e) return {};
    std::string error;
    for (RawFrame& f : read_frames(t.source(), error)) {
        if (f.number == number(*e, "frame") && f.tcp) return f;
    }
    return {};
}

Answer endianness(const Timeline& t) {
    if (!has_artifact(t, program_output)) return cannot(why::no_program_output);
    const std::string one = bytes_in(output_line(artifact(t, program_output), "1"));
    const bool little = one.rfind("01", 0) == 0;
    return answer(
        {{"bytes", one}, {"order", little ? "little-endian" : "big-endian"}, {"order_zh", little ? "小端" : "大端"}});
}

Answer port_bytes(const Timeline& t) {
    if (!has_artifact(t, program_output)) return cannot(why::no_program_output);
    const std::string text = artifact(t, program_output);
    const std::string port = output_line(text, "port");
    return answer({{"port", value_in(port)},
                   {"memory", bytes_in(port)},
                   {"network", bytes_in(output_line(text, "htons(port)"))}});
}

Answer wire_port(const Timeline& t) {
    const Json* e = syn(t);
    if (!e) return cannot(why::no_syn);
    const RawFrame f = syn_frame(t);
    if (f.bytes.empty() || !has_artifact(t, program_output)) return cannot(why::no_program_output);
    return answer(
        {{"frame", frame(e)},
         {"bytes", hex_bytes(f.bytes.substr(f.tcp_offset + 2, 2))},
         {"port", num(number(t.connection(static_cast<std::size_t>(number(*e, "conn", 0)))["server"], "port"))},
         {"htons", bytes_in(output_line(artifact(t, program_output), "htons(port)"))}});
}

Answer forgot_ntohs(const Timeline& t) {
    const RawFrame f = syn_frame(t);
    if (f.bytes.empty() || !has_artifact(t, program_output)) return cannot(why::no_program_output);
    const auto b0 = static_cast<unsigned char>(f.bytes[f.tcp_offset + 2]);
    const auto b1 = static_cast<unsigned char>(f.bytes[f.tcp_offset + 3]);
    const std::string wrong = value_in(output_line(artifact(t, program_output), "htons(port)"));
    return answer({{"wrong", wrong},
                   {"big", num(static_cast<long long>(b0 * 256 + b1))},
                   {"little", num(static_cast<long long>(b1 * 256 + b0))}},
                  wrong);
}

Answer wire_address(const Timeline& t) {
    const Json* e = syn(t);
    if (!e) return cannot(why::no_syn);
    const RawFrame f = syn_frame(t);
    if (f.bytes.size() < f.link_header + 20 || !has_artifact(t, program_output)) return cannot(why::no_program_output);
    const std::string text = artifact(t, program_output);
    return answer({{"frame", frame(e)},
                   {"wire", hex_bytes(f.bytes.substr(f.link_header + 16, 4))},
                   {"host", bytes_in(output_line(text, "address"))},
                   {"value", value_in(output_line(text, "address"))},
                   {"htonl", bytes_in(output_line(text, "htonl(address)"))}});
}

Verdict check(const Timeline& t) {
    const Json* e = syn(t);
    const RawFrame f = syn_frame(t);
    const std::string htons_bytes = bytes_in(output_line(artifact(t, program_output), "htons(port)"));
    const std::string memory = bytes_in(output_line(artifact(t, program_output), "port"));
    if (e && !f.bytes.empty() && !htons_bytes.empty() &&
        hex_bytes(f.bytes.substr(f.tcp_offset + 2, 2)) == htons_bytes) {
        return {true,
                {"the SYN in frame {frame} carries the port as [{wire}], the bytes htons() made; in memory it was "
                 "[{memory}].",
                 "第 {frame} 帧的 SYN 里端口的字节是 [{wire}]，正是 htons() 得到的字节；它在内存里是 [{memory}]。"},
                {{"frame", frame(e)}, {"wire", htons_bytes}, {"memory", memory}}};
    }
    return {false,
            {"no captured SYN whose destination-port bytes match what htons() printed.",
             "没有找到目的端口字节与 htons() 打印结果一致的 SYN。"},
            {}};
}

}  // namespace

extern const Scenario byte_order_scenario{
    "byte-order",
    {"Byte order: a port and an address in memory and on the wire", "字节序：端口和地址在内存里和网线上的样子"},
    {"byte order: htons(), htonl(), ntohs()", "字节序：htons()、htonl()、ntohs()"},
    false,
    {"tcpviz-byte-order (tutorials/programs/byte_order.c) prints a port and an address byte by byte: as this\n"
     "machine stores them, and after htons()/htonl(). Then a client connects to that port under capture, and the\n"
     "lab reads the same fields straight from the captured SYN's bytes.",
     "tcpviz-byte-order（tutorials/programs/byte_order.c）逐字节打印一个端口和一个地址：先是本机内存里的存放方式，\n"
     "再是 htons()/htonl() 之后的样子。接着客户端在抓包下连接这个端口，实验直接从抓到的 SYN 的字节里读出同样的字段。"},
    {"The SYN's destination port. Its two bytes in the header are the ones htons() produced, not the ones in this\n"
     "machine's memory: headers are big-endian (network byte order).",
     "SYN 的目的端口。首部里的两个字节是 htons() "
     "产生的那两个，而不是本机内存里的那两个：首部一律是大端（网络字节序）。"},
    run,
    nullptr,
    {
        {{"How does this machine store the 32-bit integer 1, lowest address first?",
          "本机把 32 位整数 1 存成哪几个字节（从低地址到高地址）？"},
         {"[{bytes}]: the low byte first, so this machine is {order}.",
          "[{bytes}]：低位字节在前，所以本机是{order_zh}。"},
         endianness},
        {{"Port {port}: which bytes are in memory, and which after htons()?",
          "端口在内存里是哪两个字节？htons() 之后呢？"},
         {"Port {port} is [{memory}] in memory and [{network}] after htons().",
          "端口 {port} 在内存里是 [{memory}]，htons() 之后是 [{network}]。"},
         port_bytes},
        {{"Which two bytes does the captured SYN hold for the destination port?",
          "抓到的 SYN 里，目的端口是哪两个字节？"},
         {"Frame {frame}: [{bytes}] (port {port}), the same as htons() gave: [{htons}].",
          "第 {frame} 帧：[{bytes}]（端口 {port}），和 htons() 的结果 [{htons}] 一样。"},
         wire_port},
        {{"A program that forgets ntohs() reads those two bytes as a number on this machine. What does it print?",
          "程序忘了调用 ntohs()，在本机上把这两个字节当数字读出来，会打印多少？"},
         {"{wrong}. Read big-endian, as the header means them, the bytes are {big}; read in this machine's order they "
          "are {little}.",
          "{wrong}。按首部规定的大端读是 {big}；按本机的字节序读则是 {little}。"},
         forgot_ntohs},
        {{"The server's address: its bytes in memory as a host number, after htonl(), and in the SYN's IP header?",
          "服务器地址：作为主机序整数在内存里的字节、htonl() 之后的字节，以及 SYN 的 IP 首部里的字节？"},
         {"{value} is [{host}] in memory, [{htonl}] after htonl(), and frame {frame}'s IP header holds [{wire}].",
          "{value} 在内存里是 [{host}]，htonl() 之后是 [{htonl}]，第 {frame} 帧的 IP 首部里是 [{wire}]。"},
         wire_address},
    },
    check,
};

}  // namespace tcpviz::lab
