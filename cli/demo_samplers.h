// The kernel's TCP_INFO on both sides of the demo: a sampler sees only the
// sockets of its own network namespace, so one for the students and one
// for the chat server when they live apart.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tcpviz/tcp_info_sampler.h"

namespace tcpviz {

struct DemoSamplers {
    std::vector<std::unique_ptr<TcpInfoSampler>> running;

    // Starts one in `netns` ("" = here) for the sockets of `port`. False,
    // with `netns_error` set (InNamespace::error()), when it could not enter
    // `netns`: sampling from here would show another namespace's sockets. A
    // sampler that cannot start is only said on `err`: the demo goes on
    // without the kernel's samples.
    bool start(const std::string& netns, std::uint16_t port, std::FILE* err, std::string& netns_error);
    // Stops them; their samples in time order.
    std::vector<TcpInfoSample> take();
};

}  // namespace tcpviz
