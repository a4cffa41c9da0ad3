// addresses: what inet_pton, inet_ntop, inet_aton, inet_addr and inet_ntoa
// return on this machine (tutorials/programs/addresses.c), and the 4 bytes
// inet_pton makes of the server's address beside the same 4 bytes in a
// captured SYN's IP header.
#include "common.h"
#include "programs.h"

namespace tcpviz::lab {
namespace {

constexpr const char* program_output = "addresses.program.txt";  // what tcpviz-addresses printed

void run(Session& s) {
    const Path path = s.net().loopback(s.root());
    const int port = pick_port(s.root());
    const std::string out = artifact_path(s, program_output);
    Child program = start_shell(
        s, "", sh_quote(tutorial_program("tcpviz-addresses")) + " " + path.server.address + " > " + sh_quote(out),
        out + ".log");
    finish(program, 10, "tcpviz-addresses");
    s.start_capture(path, port);
    Child server = spawn_sink(path.server, port);
    server.wait_ready(5);
    Child client = spawn_sender(path.client, path.server, port, 3);
    client.wait(10);
    server.wait(5);
    s.stop_capture();
}

std::string line(const Timeline& t, const std::string& call) { return output_line(artifact(t, program_output), call); }
// The server's address, as the capture shows it.
std::string server_address(const Timeline& t) {
    return t.connection_count() > 0 ? str(t.connection(0)["server"], "ip") : std::string{};
}
std::string in_quotes(const std::string& text) { return "\"" + text + "\""; }

const Json* syn(const Timeline& t) {
    return find_event(t, -1, [](const Json& e) { return flag(e, "SYN") && !flag(e, "ACK"); });
}

// The destination address bytes of the captured SYN's IP header; "" when unknown.
std::string wire_destination(const Timeline& t) {
    const Json* e = syn(t);
    if (!e) return "";
    std::string error;
    for (const RawFrame& f : read_frames(t.source(), error)) {
        if (f.number != number(*e, "frame") || !f.tcp) continue;
        const bool v4 = (static_cast<unsigned char>(f.bytes[f.link_header]) >> 4) == 4;
        return hex_bytes(f.bytes.substr(f.link_header + (v4 ? 16 : 24), v4 ? 4 : 16));
    }
    return "";
}

std::string pton_call(const Timeline& t) { return "inet_pton(AF_INET, " + in_quotes(server_address(t)) + ")"; }

Answer pton(const Timeline& t) {
    if (!has_artifact(t, program_output)) return cannot(why::no_program_output);
    const std::string l = line(t, pton_call(t));
    return answer({{"call", pton_call(t)}, {"rc", value_in(l)}, {"bytes", bytes_in(l)}}, value_in(l));
}

Answer on_the_wire(const Timeline& t) {
    const Json* e = syn(t);
    if (!e) return cannot(why::no_syn);
    const std::string wire = wire_destination(t);
    if (wire.empty() || !has_artifact(t, program_output)) return cannot(why::no_program_output);
    return answer({{"frame", frame(e)}, {"wire", wire}, {"pton", bytes_in(line(t, pton_call(t)))}});
}

Answer inet_addr_trap(const Timeline& t) {
    if (!has_artifact(t, program_output)) return cannot(why::no_program_output);
    const std::string valid = line(t, "inet_addr(\"255.255.255.255\")");
    const std::string invalid = line(t, "inet_addr(\"not.an.address\")");
    const auto none = [](const std::string& l) { return l.find("== INADDR_NONE") != std::string::npos; };
    return answer({{"valid", value_in(valid)},
                   {"invalid", value_in(invalid)},
                   {"same", none(valid) && none(invalid) ? "yes" : "no"},
                   {"same_zh", none(valid) && none(invalid) ? "是" : "否"},
                   {"aton_valid", value_in(line(t, "inet_aton(\"255.255.255.255\")"))},
                   {"aton_invalid", value_in(line(t, "inet_aton(\"not.an.address\")"))}});
}

Answer ntoa_twice(const Timeline& t) {
    if (!has_artifact(t, program_output)) return cannot(why::no_program_output);
    return answer({{"printed", value_in(line(t, "inet_ntoa(192.168.10.150), inet_ntoa(127.0.0.1)"))},
                   {"same", value_in(line(t, "inet_ntoa(a) == inet_ntoa(b) (same pointer)"))},
                   {"ntop", value_in(line(t, "inet_ntop(192.168.10.150), inet_ntop(127.0.0.1)"))}});
}

Answer short_form(const Timeline& t) {
    if (!has_artifact(t, program_output)) return cannot(why::no_program_output);
    const std::string aton = line(t, "inet_aton(\"10.1\")");
    return answer({{"pton", value_in(line(t, "inet_pton(AF_INET, \"10.1\")"))},
                   {"aton", value_in(aton)},
                   {"bytes", bytes_in(aton)}});
}

Verdict check(const Timeline& t) {
    const std::string wire = wire_destination(t);
    const std::string pton_bytes = bytes_in(line(t, pton_call(t)));
    const bool trap = line(t, "inet_addr(\"255.255.255.255\")").find("== INADDR_NONE") != std::string::npos &&
                      line(t, "inet_addr(\"not.an.address\")").find("== INADDR_NONE") != std::string::npos;
    if (!wire.empty() && wire == pton_bytes && trap) {
        return {
            true,
            {"inet_pton made [{bytes}] of {address}, the bytes in the SYN's IP header; inet_addr gave one value for "
             "255.255.255.255 and for an invalid string.",
             "inet_pton 把 {address} 转成 [{bytes}]，正是 SYN 的 IP 首部里的字节；inet_addr 对 255.255.255.255 "
             "和非法字符串返回了同一个值。"},
            {{"bytes", wire}, {"address", server_address(t)}}};
    }
    return {false,
            {"the SYN's destination address did not match inet_pton's bytes, or inet_addr's trap did not show.",
             "SYN 的目的地址与 inet_pton 的结果不符，或者没有出现 inet_addr 的陷阱。"},
            {}};
}

}  // namespace

extern const Scenario addresses_scenario{
    "addresses",
    {"Address conversion: inet_pton, inet_ntop and the old calls' traps",
     "地址转换：inet_pton、inet_ntop 和老函数的陷阱"},
    {"address conversion: inet_pton, inet_aton, inet_addr, inet_ntoa",
     "地址转换：inet_pton、inet_aton、inet_addr、inet_ntoa"},
    false,
    {"tcpviz-addresses (tutorials/programs/addresses.c) calls each conversion function and prints what this\n"
     "machine's C library returned. Then a client connects to the server's address under capture, so the bytes\n"
     "inet_pton() made can be compared with the bytes in the IP header.",
     "tcpviz-addresses（tutorials/programs/addresses.c）逐个调用地址转换函数，打印本机 C 库的真实返回值。\n"
     "接着客户端在抓包下连接服务器地址，可以把 inet_pton() 得到的字节和 IP 首部里的字节对照。"},
    {"The SYN's IP header: its destination address is 4 bytes in network order, exactly what inet_pton() writes.",
     "SYN 的 IP 首部：目的地址是按网络字节序排列的 4 个字节，和 inet_pton() 写出的一模一样。"},
    run,
    nullptr,
    {
        {{"What does {call} return, and which bytes does it write? (Careful: the course notes say 0 on success.)",
          "{call} 返回什么？写出了哪几个字节？（注意：讲义说成功时返回 0。）"},
         {"It returns {rc} and writes [{bytes}]: 1 means success, 0 \"not an address\", -1 an unknown family.",
          "返回 {rc}，写出 [{bytes}]：1 表示成功，0 表示“不是地址”，-1 表示不认识的地址族。"},
         pton},
        {{"Which bytes does the captured SYN's IP header hold as its destination address?",
          "抓到的 SYN 的 IP 首部里，目的地址是哪几个字节？"},
         {"Frame {frame}: [{wire}], the bytes inet_pton wrote: [{pton}].",
          "第 {frame} 帧：[{wire}]，正是 inet_pton 写出的 [{pton}]。"},
         on_the_wire},
        {{"inet_addr(\"255.255.255.255\") and inet_addr(\"not.an.address\"): can the caller tell them apart?",
          "inet_addr(\"255.255.255.255\") 和 inet_addr(\"not.an.address\")：调用者分得清吗？"},
         {"No: {valid} and {invalid}; both equal INADDR_NONE: {same}. inet_aton tells them apart: it returns "
          "{aton_valid} "
          "and {aton_invalid}.",
          "分不清：分别返回 {valid} 和 {invalid}，是否都等于 INADDR_NONE：{same_zh}。inet_aton 分得清：分别返回 "
          "{aton_valid} 和 {aton_invalid}。"},
         inet_addr_trap},
        {{"printf(\"%s, %s\", inet_ntoa(a), inet_ntoa(b)) with 192.168.10.150 and 127.0.0.1: what is printed?",
          "printf(\"%s, %s\", inet_ntoa(a), inet_ntoa(b))，a、b 分别是 192.168.10.150 和 127.0.0.1，打印出什么？"},
         {"{printed}: one static buffer, both pointers equal ({same}); with inet_ntop and two buffers: {ntop}.",
          "{printed}：只有一个静态缓冲区，两个指针相等（{same}）；换成 inet_ntop 加两个缓冲区：{ntop}。"},
         ntoa_twice},
        {{"\"10.1\": what do inet_pton and inet_aton say?", "对 \"10.1\"，inet_pton 和 inet_aton 各返回什么？"},
         {"inet_pton returns {pton} (not an address); inet_aton returns {aton} and makes [{bytes}]: the old short form "
          "a.b means a.0.0.b.",
          "inet_pton 返回 {pton}（不是地址）；inet_aton 返回 {aton}，得到 [{bytes}]：老式的简写 a.b 表示 a.0.0.b。"},
         short_form},
    },
    check,
};

}  // namespace tcpviz::lab
