#include "demo_samplers.h"

#include <algorithm>
#include <iterator>

#include "demo_path.h"

namespace tcpviz {

bool DemoSamplers::start(const std::string& netns, std::uint16_t port, std::FILE* err, std::string& netns_error) {
    const InNamespace in(netns);
    if (!in.ok()) {
        netns_error = in.error();
        return false;
    }
    SamplerOptions options;
    options.ports = {port};
    std::string error;
    if (auto s = TcpInfoSampler::start(options, error)) {
        running.push_back(std::move(s));
    } else {
        std::fprintf(err, "tcpviz demo: no kernel samples (%s)\n", error.c_str());
    }
    return true;
}

std::vector<TcpInfoSample> DemoSamplers::take() {
    std::vector<TcpInfoSample> all;
    for (auto& s : running) {
        s->stop();
        std::vector<TcpInfoSample> some = s->take_samples();
        std::vector<TcpInfoSample> merged;
        std::merge(std::make_move_iterator(all.begin()), std::make_move_iterator(all.end()),
                   std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()),
                   std::back_inserter(merged),
                   [](const TcpInfoSample& a, const TcpInfoSample& b) { return a.time < b.time; });
        all = std::move(merged);
    }
    return all;
}

}  // namespace tcpviz
