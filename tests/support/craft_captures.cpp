// Writes the crafted test captures: cases that are hard to provoke with a
// real kernel (out-of-order delivery, spurious retransmissions, an ACK of a
// segment the capture missed, a 1-byte zero-window probe) and link/IP
// variants a Linux loopback never produces (VLAN tags, BSD loopback, raw IP,
// IPv4 options, IPv6 extension headers, truncated options, malformed headers).
// Each group is in its own file in crafted/.
//
//   craft_captures OUTDIR      writes every capture into OUTDIR
//
// The output is deterministic: the committed files in tests/captures/crafted/
// are these bytes, and a test checks that they still are.
#include <cstdio>
#include <string>

#include "crafted/conversation.h"

int main(int argc, char** argv) {
    using namespace tcpviz::test::crafted;
    if (argc != 2) {
        std::fprintf(stderr, "usage: craft_captures OUTDIR\n");
        return 2;
    }
    CaptureDir out(argv[1]);
    craft_analysis_cases(out);
    craft_link_cases(out);
    craft_header_cases(out);
    craft_reuse_after_idle(out);
    craft_note_cases(out);
    craft_fin_cases(out);
    for (const std::string& name : out.written()) std::printf("%s\n", name.c_str());
    return 0;
}
