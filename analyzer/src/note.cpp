// The sentences behind each note id, in English and Chinese. Placeholders:
// {a} {b} {c} are the note's numbers, {side}/{peer} the sender and the other
// side ("client"/"server", 客户端/服务器).
#include "tcpviz/note.h"

#include <array>
#include <charconv>
#include <cstring>
#include <vector>

namespace tcpviz {
namespace {

struct Sentence {
    std::string_view en;
    std::string_view zh;
};

constexpr std::array<Sentence, static_cast<std::size_t>(NoteId::count_)> sentences = {{
    // syn
    {"SYN: the {side} asks to open a connection; its initial sequence number (ISN) is {a}.",
     "SYN：{side}请求建立连接，它的初始序号（ISN）是 {a}。"},
    // syn_again
    {"SYN sent again: no SYN-ACK came back in time, so the {side} retries.",
     "再次发送 SYN：{side}没有及时收到 SYN-ACK，于是重试。"},
    // syn_ack
    {"SYN-ACK: the {side} accepts; its ack {b} is the {peer}'s ISN + 1, and its own ISN is {a}.",
     "SYN-ACK：{side}同意连接；确认号 {b} 等于{peer}的 ISN + 1，它自己的 ISN 是 {a}。"},
    // syn_ack_again
    {"SYN-ACK sent again: the {side} got no ACK for its SYN-ACK in time.",
     "再次发送 SYN-ACK：{side}没有及时收到对它 SYN-ACK 的确认。"},
    // refused
    {"RST: nothing listens on this port, so the {side} refuses the connection.",
     "RST：该端口没有程序在监听，{side}拒绝了连接。"},
    // handshake_ack
    {"ACK: the {side} acknowledges the SYN-ACK; the three-way handshake is complete and both sides are ESTABLISHED.",
     "ACK：{side}确认了 SYN-ACK，三次握手完成，双方进入 ESTABLISHED 状态。"},
    // data
    {"{a} bytes of data from the {side}: stream bytes {b} to {c} (relative sequence numbers).",
     "{side}发送 {a} 字节数据：字节流中的第 {b} 到 {c} 字节（相对序号）。"},
    // ack
    {"ACK: the {side} has received every byte before {a}; its window says {b} more bytes may be sent.",
     "ACK：{side}已收到 {a} 之前的全部字节；窗口表示还可以再发送 {b} 字节。"},
    // retransmission
    {"Retransmission: these {a} bytes were sent before and are sent again because no ACK came for them in time.",
     "重传：这 {a} 字节之前已发送过，因为没有及时收到确认而再次发送。"},
    // fast_retransmission
    {"Fast retransmission: duplicate ACKs asked for byte {a}, so the {side} resends it without waiting for the timer.",
     "快速重传：重复 ACK 一再请求第 {a} 字节，{side}不等超时就立即重发。"},
    // spurious_retransmission
    {"Spurious retransmission: these {a} bytes were already acknowledged, so this copy was not needed.",
     "虚假重传：这 {a} 字节早已被确认，这次重发是多余的。"},
    // out_of_order
    {"Out of order: these {a} bytes come before bytes already seen; the segment arrived late.",
     "乱序：这 {a} 字节位于已收到的数据之前，这个报文段到得晚了。"},
    // duplicate_ack
    {"Duplicate ACK #{a}: the {side} still waits for byte {b}; a later segment arrived instead, a sign of loss or reordering.",
     "第 {a} 个重复 ACK：{side}仍在等待第 {b} 字节，却收到了后面的数据，这说明有丢包或乱序。"},
    // zero_window
    {"Zero window: the {side}'s receive buffer is full; the {peer} must stop sending until the window opens.",
     "零窗口：{side}的接收缓冲区已满，{peer}必须暂停发送，直到窗口重新打开。"},
    // zero_window_probe
    {"Zero-window probe: the {side} sends one byte to ask whether the window has opened.",
     "零窗口探测：{side}发送 1 个字节，询问窗口是否已经打开。"},
    // zero_window_probe_ack
    {"Reply to the zero-window probe: the window is still 0.",
     "对零窗口探测的回应：窗口仍然为 0。"},
    // window_update
    {"Window update: no new data, only a new window of {a} bytes: the {side} has room again.",
     "窗口更新：没有新数据，只通告新的窗口 {a} 字节，{side}又有空间接收了。"},
    // window_full
    {"Window full: these {a} bytes fill the window the {peer} advertised; the {side} must now wait for an ACK.",
     "窗口已满：这 {a} 字节用完了{peer}通告的窗口，{side}现在必须等待确认。"},
    // keep_alive
    {"Keep-alive: the connection is idle, so the {side} checks that the {peer} is still there.",
     "保活探测：连接空闲，{side}检查{peer}是否仍然在线。"},
    // keep_alive_ack
    {"Keep-alive ACK: the {side} answers, so the connection is still alive.",
     "保活确认：{side}作出回应，连接仍然有效。"},
    // lost_segment
    {"Previous segment not captured: the sequence number jumps ahead, so bytes before it were lost or missed by the capture.",
     "前一个报文段未被捕获：序号向前跳跃，之前的字节丢失了或没有被抓到。"},
    // ack_lost_segment
    {"ACKed unseen segment: this ACK covers bytes the capture never saw.",
     "确认了未见到的报文段：这个 ACK 确认了抓包中从未出现的字节。"},
    // fin_first
    {"FIN: the {side} has no more data to send and starts closing its half of the connection.",
     "FIN：{side}没有更多数据要发送，开始关闭它这一半连接。"},
    // fin_second
    {"FIN: the {side} closes its half too, after the {peer} did.",
     "FIN：在{peer}之后，{side}也关闭了它这一半连接。"},
    // fin_ack
    {"ACK of the FIN: the {side} confirms that the {peer} has finished sending.",
     "对 FIN 的确认：{side}确认{peer}已经发送完毕。"},
    // rst
    {"RST: the {side} aborts the connection at once; no more data flows either way.",
     "RST：{side}立即中止连接，双方都不再传输数据。"},
    // truncated
    {"The capture cut this segment short; only the fields before the cut are shown.",
     "抓包截断了这个报文段，只显示截断之前的字段。"},
    // malformed
    {"This TCP header is malformed; its fields cannot all be trusted.",
     "这个 TCP 首部格式错误，其字段不完全可信。"},
    // reserved_bits
    {"The {side}'s segment has reserved header bits set (value {a}). RFC 9293 says they must be zero and no ordinary TCP stack sets them: this segment was most likely crafted or injected, for example a forged RST.",
     "{side}的这个报文段设置了首部中的保留位（值为 {a}）。RFC 9293 规定保留位必须为 0，正常的 TCP 协议栈从不设置它们：这个报文段很可能是伪造或注入的，例如一个伪造的 RST。"},
    // fin_again
    {"FIN sent again: the {peer} has not acknowledged the {side}'s FIN (sequence number {a}) yet, so the {side} repeats it; no data is resent. Wireshark labels it a fast retransmission when duplicate ACKs asked for this number shortly before.",
     "再次发送 FIN：{peer}还没有确认{side}的 FIN（序号 {a}），所以{side}重发它，并没有重发任何数据。如果此前不久有重复 ACK 请求过这个序号，Wireshark 会把它标为快速重传。"},
}};

constexpr std::array<std::string_view, static_cast<std::size_t>(NoteId::count_)> ids = {
    "syn", "syn_again", "syn_ack", "syn_ack_again", "refused", "handshake_ack", "data", "ack",
    "retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
    "duplicate_ack", "zero_window", "zero_window_probe", "zero_window_probe_ack",
    "window_update", "window_full", "keep_alive", "keep_alive_ack", "lost_segment",
    "ack_lost_segment", "fin_first", "fin_second", "fin_ack", "rst", "truncated", "malformed",
    "reserved_bits", "fin_again",
};

std::string_view side_word(int side, Lang lang) {
    if (lang == Lang::zh) return side == 0 ? "客户端" : "服务器";
    return side == 0 ? "client" : "server";
}

// A placeholder is replaced by at most 10 bytes: a 32-bit number's digits,
// or a side's name (客户端 is 9 bytes in UTF-8).
constexpr std::size_t max_placeholder_bytes = 10;

constexpr std::size_t longest_note = [] {
    std::size_t longest = 0;
    for (const Sentence& s : sentences) {
        for (std::string_view text : {s.en, s.zh}) {
            std::size_t n = text.size();
            for (char c : text) n += c == '{' ? max_placeholder_bytes : 0;
            longest = n > longest ? n : longest;
        }
    }
    return longest;
}();

}  // namespace

std::string_view note_id_name(NoteId id) { return ids[static_cast<std::size_t>(id)]; }

std::optional<NoteId> note_id_from_name(std::string_view name) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] == name) return static_cast<NoteId>(i);
    }
    return std::nullopt;
}

std::size_t max_note_length() { return longest_note; }

namespace {

// A sentence cut at its placeholders once, so that writing a note is a few
// copies: each piece is literal text followed by one placeholder (or none),
// told apart by its first letter: {a} {b} {c} {side} {peer}.
struct Piece {
    std::string_view text;
    char placeholder = 0;
};
using Pieces = std::vector<Piece>;

Pieces cut_at_placeholders(std::string_view text) {
    Pieces pieces;
    std::size_t run = 0;
    while (run < text.size()) {
        const std::size_t open = text.find('{', run);
        if (open == std::string_view::npos) break;
        const std::size_t close = text.find('}', open);
        pieces.push_back({text.substr(run, open - run), text[open + 1]});
        run = close + 1;
    }
    pieces.push_back({text.substr(run), 0});
    return pieces;
}

const std::array<std::array<Pieces, 2>, sentences.size()>& all_pieces() {
    static const auto pieces = [] {
        std::array<std::array<Pieces, 2>, sentences.size()> p;
        for (std::size_t i = 0; i < sentences.size(); ++i) {
            p[i][0] = cut_at_placeholders(sentences[i].en);
            p[i][1] = cut_at_placeholders(sentences[i].zh);
        }
        return p;
    }();
    return pieces;
}

}  // namespace

char* write_note(const Note& note, Lang lang, char* out) {
    const Pieces& pieces = all_pieces()[static_cast<std::size_t>(note.id)][lang == Lang::zh ? 1 : 0];
    for (const Piece& piece : pieces) {
        std::memcpy(out, piece.text.data(), piece.text.size());
        out += piece.text.size();
        std::string_view word;
        switch (piece.placeholder) {
            case 'a': out = std::to_chars(out, out + max_placeholder_bytes, note.args[0]).ptr; break;
            case 'b': out = std::to_chars(out, out + max_placeholder_bytes, note.args[1]).ptr; break;
            case 'c': out = std::to_chars(out, out + max_placeholder_bytes, note.args[2]).ptr; break;
            case 's': word = side_word(note.side, lang); break;
            case 'p': word = side_word(1 - note.side, lang); break;
            default: break;
        }
        if (!word.empty()) {  // an empty view may hold no pointer at all
            std::memcpy(out, word.data(), word.size());
            out += word.size();
        }
    }
    return out;
}

void render_note(const Note& note, Lang lang, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + longest_note);
    char* end = write_note(note, lang, out.data() + at);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace tcpviz
