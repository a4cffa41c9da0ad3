// Which ports the kernel sampler looks at, read from the capture filter.
#include <gtest/gtest.h>

#include "tcpviz/filter_ports.h"

namespace tcpviz {
namespace {

using Ports = std::vector<std::uint16_t>;

TEST(FilterPorts, ReadsTheSimplePortPrimitives) {
    EXPECT_EQ(ports_in_filter("tcp port 6666"), Ports{6666});
    EXPECT_EQ(ports_in_filter("port 80"), Ports{80});
    EXPECT_EQ(ports_in_filter("tcp port 80 or tcp port 443"), (Ports{80, 443}));
    EXPECT_EQ(ports_in_filter("src port 5000 or dst port 5000"), Ports{5000});
    EXPECT_EQ(ports_in_filter("(tcp port 7000) and host 127.0.0.1"), Ports{7000});
    EXPECT_EQ(ports_in_filter("  tcp   port\t6666 "), Ports{6666});
}

TEST(FilterPorts, LeavesOutPortsTheFilterExcludes) {
    EXPECT_EQ(ports_in_filter("tcp port 6666 and not port 22"), Ports{6666});
    EXPECT_EQ(ports_in_filter("tcp port 6666 and !tcp port 22"), Ports{6666});
    EXPECT_EQ(ports_in_filter("not tcp src port 22"), Ports{});
}

TEST(FilterPorts, GivesNothingForWhatItDoesNotUnderstand) {
    EXPECT_EQ(ports_in_filter(""), Ports{});
    EXPECT_EQ(ports_in_filter("tcp"), Ports{});
    EXPECT_EQ(ports_in_filter("tcp portrange 6000-7000"), Ports{});
    EXPECT_EQ(ports_in_filter("port http"), Ports{});
    EXPECT_EQ(ports_in_filter("port 0"), Ports{});
    EXPECT_EQ(ports_in_filter("port 65536"), Ports{});
    EXPECT_EQ(ports_in_filter("port 66x"), Ports{});
    EXPECT_EQ(ports_in_filter("tcp port"), Ports{});
}

}  // namespace
}  // namespace tcpviz
