// A delay for kernels without netem, made in user space: an Ethernet bridge
// between two interfaces that holds every frame for a fixed time before it
// passes it on. Slow start doubles cwnd once per round trip; on a path whose
// only delay is a queue, the round trip grows with cwnd itself and the
// doubling is hidden. A fixed delay, like a long cable, shows it.
#pragma once

#include <string>

namespace tcpviz::lab {

struct DelayLine {
    std::string a, b;   // the two interfaces, in the namespace the bridge runs in
    int a_to_b_ms = 0;  // how long a frame from a waits before it leaves on b
    int b_to_a_ms = 0;
};

// Runs the bridge until the process is killed; returns only on an error
// (after printing it), with a non-zero status.
int run_delay_line(const DelayLine& line);

}  // namespace tcpviz::lab
