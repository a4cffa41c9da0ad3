#include "ladder_words.h"

namespace tcpviz {
namespace {

constexpr LadderWords english{
    .title = "# tcpviz ladder: ",
    .conn_line = "\nconn ",
    .client_after_id = ": client ",
    .server_between = "  <->  server ",
    .column_heads = " frame      time  c  client",
    .server_column = "server",
    .summary_conn = "# conn ",
    .handshake = ": handshake ",
    .handshake_complete = "complete",
    .handshake_not_captured = "not captured",
    .handshake_incomplete = "incomplete",
    .teardown = ", teardown ",
    .teardowns = {"none", "fin", "rst"},
    .half_close = " (half-close)",
    .simultaneous = " (simultaneous)",
    .by_open = " (by ",
    .by_close = ")",
    .sides = {"client", "server"},
    .final_states = ", final states ",
    .warning = "# warning: ",
};

// FIN and RST as the course writes them; "none" said in words: the
// connection is still open.
constexpr LadderWords chinese{
    .title = "# tcpviz 梯形图：",
    .conn_line = "\n连接 ",
    .client_after_id = "：客户端 ",
    .server_between = "  <->  服务器 ",
    .column_heads = " frame      time  c  客户端",
    .server_column = "服务器",
    .summary_conn = "# 连接 ",
    .handshake = "：握手",
    .handshake_complete = "完成",
    .handshake_not_captured = "不在抓包中",
    .handshake_incomplete = "未完成",
    .teardown = "，结束方式 ",
    .teardowns = {"未结束（仍然打开）", "FIN", "RST"},
    .half_close = "（半关闭）",
    .simultaneous = "（同时关闭）",
    .by_open = "（由",
    .by_close = "）",
    .sides = {"客户端", "服务器"},
    .final_states = "，最终状态 ",
    .warning = "# 警告：",
};

}  // namespace

const LadderWords& ladder_words(Lang lang) { return lang == Lang::zh ? chinese : english; }

}  // namespace tcpviz
