// The sentence behind each segment, in English and Chinese, keyed by the
// timeline's `note_id`. Mirrors analyzer/src/note.cpp (a unit test compares the
// two): {a} {b} {c} are the note's numbers, {side} is who sent the segment and
// {peer} the other end.

const SIDE_WORDS = {
  en: { client: 'client', server: 'server' },
  zh: { client: '客户端', server: '服务器' },
};

export const NOTE_TEMPLATES = {
  en: {
    syn: 'SYN: the {side} asks to open a connection; its initial sequence number (ISN) is {a}.',
    syn_again: 'SYN sent again: no SYN-ACK came back in time, so the {side} retries.',
    syn_ack: "SYN-ACK: the {side} accepts; its ack {b} is the {peer}'s ISN + 1, and its own ISN is {a}.",
    syn_ack_again: 'SYN-ACK sent again: the {side} got no ACK for its SYN-ACK in time.',
    refused: 'RST: nothing listens on this port, so the {side} refuses the connection.',
    handshake_ack: 'ACK: the {side} acknowledges the SYN-ACK; the three-way handshake is complete and both sides are ESTABLISHED.',
    data: '{a} bytes of data from the {side}: stream bytes {b} to {c} (relative sequence numbers).',
    ack: 'ACK: the {side} has received every byte before {a}; its window says {b} more bytes may be sent.',
    retransmission: 'Retransmission: these {a} bytes were sent before and are sent again because no ACK came for them in time.',
    fast_retransmission: 'Fast retransmission: duplicate ACKs asked for byte {a}, so the {side} resends it without waiting for the timer.',
    spurious_retransmission: 'Spurious retransmission: these {a} bytes were already acknowledged, so this copy was not needed.',
    out_of_order: 'Out of order: these {a} bytes come before bytes already seen; the segment arrived late.',
    duplicate_ack: 'Duplicate ACK #{a}: the {side} still waits for byte {b}; a later segment arrived instead, a sign of loss or reordering.',
    zero_window: "Zero window: the {side}'s receive buffer is full; the {peer} must stop sending until the window opens.",
    zero_window_probe: 'Zero-window probe: the {side} sends one byte to ask whether the window has opened.',
    zero_window_probe_ack: 'Reply to the zero-window probe: the window is still 0.',
    window_update: 'Window update: no new data, only a new window of {a} bytes: the {side} has room again.',
    window_full: 'Window full: these {a} bytes fill the window the {peer} advertised; the {side} must now wait for an ACK.',
    keep_alive: 'Keep-alive: the connection is idle, so the {side} checks that the {peer} is still there.',
    keep_alive_ack: 'Keep-alive ACK: the {side} answers, so the connection is still alive.',
    lost_segment: 'Previous segment not captured: the sequence number jumps ahead, so bytes before it were lost or missed by the capture.',
    ack_lost_segment: 'ACKed unseen segment: this ACK covers bytes the capture never saw.',
    fin_first: 'FIN: the {side} has no more data to send and starts closing its half of the connection.',
    fin_second: 'FIN: the {side} closes its half too, after the {peer} did.',
    fin_ack: 'ACK of the FIN: the {side} confirms that the {peer} has finished sending.',
    rst: 'RST: the {side} aborts the connection at once; no more data flows either way.',
    truncated: 'The capture cut this segment short; only the fields before the cut are shown.',
    malformed: 'This TCP header is malformed; its fields cannot all be trusted.',
    reserved_bits: 'The {side}\'s segment has reserved header bits set (value {a}). RFC 9293 says they must be zero and no ordinary TCP stack sets them: this segment was most likely crafted or injected, for example a forged RST.',
    fin_again: 'FIN sent again: the {peer} has not acknowledged the {side}\'s FIN (sequence number {a}) yet, so the {side} repeats it; no data is resent. Wireshark labels it a fast retransmission when duplicate ACKs asked for this number shortly before.',
  },
  zh: {
    syn: 'SYN：{side}请求建立连接，它的初始序号（ISN）是 {a}。',
    syn_again: '再次发送 SYN：{side}没有及时收到 SYN-ACK，于是重试。',
    syn_ack: 'SYN-ACK：{side}同意连接；确认号 {b} 等于{peer}的 ISN + 1，它自己的 ISN 是 {a}。',
    syn_ack_again: '再次发送 SYN-ACK：{side}没有及时收到对它 SYN-ACK 的确认。',
    refused: 'RST：该端口没有程序在监听，{side}拒绝了连接。',
    handshake_ack: 'ACK：{side}确认了 SYN-ACK，三次握手完成，双方进入 ESTABLISHED 状态。',
    data: '{side}发送 {a} 字节数据：字节流中的第 {b} 到 {c} 字节（相对序号）。',
    ack: 'ACK：{side}已收到 {a} 之前的全部字节；窗口表示还可以再发送 {b} 字节。',
    retransmission: '重传：这 {a} 字节之前已发送过，因为没有及时收到确认而再次发送。',
    fast_retransmission: '快速重传：重复 ACK 一再请求第 {a} 字节，{side}不等超时就立即重发。',
    spurious_retransmission: '虚假重传：这 {a} 字节早已被确认，这次重发是多余的。',
    out_of_order: '乱序：这 {a} 字节位于已收到的数据之前，这个报文段到得晚了。',
    duplicate_ack: '第 {a} 个重复 ACK：{side}仍在等待第 {b} 字节，却收到了后面的数据，这说明有丢包或乱序。',
    zero_window: '零窗口：{side}的接收缓冲区已满，{peer}必须暂停发送，直到窗口重新打开。',
    zero_window_probe: '零窗口探测：{side}发送 1 个字节，询问窗口是否已经打开。',
    zero_window_probe_ack: '对零窗口探测的回应：窗口仍然为 0。',
    window_update: '窗口更新：没有新数据，只通告新的窗口 {a} 字节，{side}又有空间接收了。',
    window_full: '窗口已满：这 {a} 字节用完了{peer}通告的窗口，{side}现在必须等待确认。',
    keep_alive: '保活探测：连接空闲，{side}检查{peer}是否仍然在线。',
    keep_alive_ack: '保活确认：{side}作出回应，连接仍然有效。',
    lost_segment: '前一个报文段未被捕获：序号向前跳跃，之前的字节丢失了或没有被抓到。',
    ack_lost_segment: '确认了未见到的报文段：这个 ACK 确认了抓包中从未出现的字节。',
    fin_first: 'FIN：{side}没有更多数据要发送，开始关闭它这一半连接。',
    fin_second: 'FIN：在{peer}之后，{side}也关闭了它这一半连接。',
    fin_ack: '对 FIN 的确认：{side}确认{peer}已经发送完毕。',
    rst: 'RST：{side}立即中止连接，双方都不再传输数据。',
    truncated: '抓包截断了这个报文段，只显示截断之前的字段。',
    malformed: '这个 TCP 首部格式错误，其字段不完全可信。',
    reserved_bits: '{side}的这个报文段设置了首部中的保留位（值为 {a}）。RFC 9293 规定保留位必须为 0，正常的 TCP 协议栈从不设置它们：这个报文段很可能是伪造或注入的，例如一个伪造的 RST。',
    fin_again: '再次发送 FIN：{peer}还没有确认{side}的 FIN（序号 {a}），所以{side}重发它，并没有重发任何数据。如果此前不久有重复 ACK 请求过这个序号，Wireshark 会把它标为快速重传。',
  },
};

/**
 * The note of one event in `lang`, built from its note_id and note_args.
 * Falls back to the English sentence the timeline carries when the id is not
 * one this page knows (a newer analyzer), and to "" when there is neither.
 */
export function renderNote(event, lang) {
  const table = NOTE_TEMPLATES[lang] ?? NOTE_TEMPLATES.en;
  const template = event && typeof event.note_id === 'string' && Object.hasOwn(table, event.note_id)
    ? table[event.note_id] : null;
  if (template === null) return event && typeof event.note === 'string' ? event.note : '';
  const words = SIDE_WORDS[lang] ?? SIDE_WORDS.en;
  const side = event.dir === 's2c' ? 'server' : 'client';
  const peer = side === 'client' ? 'server' : 'client';
  const args = Array.isArray(event.note_args) ? event.note_args : [];
  const values = {
    a: args[0] ?? '', b: args[1] ?? '', c: args[2] ?? '',
    side: words[side], peer: words[peer],
  };
  return template.replace(/\{(a|b|c|side|peer)\}/g, (_, name) => String(values[name]));
}
