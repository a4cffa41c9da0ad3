// The lab framework's own strings (headings, prompts, errors), English and
// Chinese side by side. Scenario strings live in each scenario's file.
#pragma once

#include "text.h"

namespace tcpviz::lab::ui {

inline constexpr Text list_root{"needs root (network namespaces)", "需要管理员权限（网络命名空间）"};
inline constexpr Text list_loopback{"loopback, runs without root", "本机回环，无需管理员权限"};
inline constexpr Text topic{"Course topic: {topic}", "课程主题：{topic}"};
inline constexpr Text what_happens{"What happens", "实验内容"};
inline constexpr Text setup{"The set-up, as commands you could type (the lab removes it when it ends)",
                            "实验环境，下面是可以亲手输入的等价命令（实验结束时自动删除）"};
inline constexpr Text ladder{"The ladder (time runs down; the client is on the left)",
                             "梯形图（时间从上往下；客户端在左侧）"};
inline constexpr Text ladder_cut{"... frames {first} to {last} of {total}; the whole capture is in {pcap}",
                                 "…… 仅显示第 {first} 到第 {last} 帧（共 {total} 帧），完整抓包见 {pcap}"};
inline constexpr Text look_for{"What to look for", "观察要点"};
inline constexpr Text questions{"Questions, answered from the packets", "问题（答案全部读自抓到的报文）"};
inline constexpr Text question{"Q{n}: {text}", "问题 {n}：{text}"};
inline constexpr Text reply{"A{n}: {text}", "答案 {n}：{text}"};
inline constexpr Text cannot{"A{n}: this capture cannot answer it: {why}", "答案 {n}：这份抓包回答不了这个问题：{why}"};
inline constexpr Text press_enter{"   (Enter shows the answer) ", "   （按回车键显示答案）"};
inline constexpr Text predict{"   Your prediction (a number): ", "   请先预测这个数（输入数字）："};
inline constexpr Text right{"   Right: {value}.", "   答对了：{value}。"};
inline constexpr Text wrong{"   Not quite: the packets say {value}, you said {guess}.",
                            "   不对：报文显示是 {value}，你的预测是 {guess}。"};
inline constexpr Text no_guess{"   No prediction given; the packets say {value}.",
                               "   没有输入预测；报文显示是 {value}。"};
inline constexpr Text score{"Quiz: {right} of {asked} predictions right.", "小测验：{asked} 次预测中答对 {right} 次。"};
inline constexpr Text verdict{"Check", "检查结果"};
inline constexpr Text seen{"SEEN: {text}", "已出现：{text}"};
inline constexpr Text not_seen{
    "NOT SEEN: {text} The lab did not show what it is about; run it again, or read the "
    "ladder above to see what happened instead.",
    "未出现：{text} 本实验要演示的现象没有出现；请再运行一次，或者阅读上面的梯形图看看实际发生了什么。"};
inline constexpr Text files{"Files", "文件"};
inline constexpr Text file_pcap{"capture:  {path}", "抓包文件：{path}"};
inline constexpr Text file_timeline{
    "timeline: {path}  (open it in the web page; tcpviz lab NAME --capture FILE asks again)",
    "时间线：{path}（可在网页中打开；用 tcpviz lab 实验名 --capture 文件 可以再问一遍）"};
inline constexpr Text file_html{"report:   {path}", "报告页面：{path}"};
inline constexpr Text own_capture{"Your capture: {path}. The same questions, answered from your packets.",
                                  "你的抓包：{path}。同样的问题，答案来自你自己的报文。"};
inline constexpr Text needs_root{
    "needs root: it builds network namespaces with ip netns, tc and iptables (run it with "
    "sudo; only loopback labs run without root)",
    "需要管理员权限：它要用 ip netns、tc 和 iptables 搭建网络命名空间（请用 sudo 运行；"
    "无需管理员权限的只有本机回环实验）"};
inline constexpr Text interrupted{"Interrupted: the namespaces and everything in them were removed.",
                                  "已中断：网络命名空间及其中的一切都已删除。"};
inline constexpr Text failed{"the lab could not run: {why}", "实验无法运行：{why}"};
inline constexpr Text unknown{"unknown scenario (tcpviz lab --list shows them)",
                              "没有这个实验（用 tcpviz lab --list 查看）"};

}  // namespace tcpviz::lab::ui
