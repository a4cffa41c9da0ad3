// The list of scenarios, in the order `tcpviz lab --list` prints them. To add
// one: write src/scenarios/NAME.cpp defining `extern const Scenario NAME_scenario`,
// add it to CMakeLists.txt and to this list (lab/README.md).
#include "scenario.h"

namespace tcpviz::lab {

// Connection set-up and teardown.
extern const Scenario refused_scenario;
extern const Scenario rst_scenario;
extern const Scenario syn_timeout_scenario;
extern const Scenario zero_window_scenario;
extern const Scenario fast_retransmit_scenario;
extern const Scenario slow_start_scenario;
extern const Scenario fast_recovery_scenario;
extern const Scenario congestion_avoidance_scenario;
extern const Scenario timeout_scenario;
extern const Scenario loss_scenario;
extern const Scenario handshake_scenario;
extern const Scenario teardown_scenario;
extern const Scenario half_close_scenario;
extern const Scenario time_wait_scenario;
extern const Scenario nagle_scenario;
extern const Scenario keepalive_scenario;
extern const Scenario mss_scenario;
extern const Scenario ipv6_scenario;
extern const Scenario chat_scenario;

// The course's own scenarios (sockets API, byte order, addresses): add below.
extern const Scenario byte_order_scenario;
extern const Scenario addresses_scenario;
extern const Scenario message_boundaries_scenario;
extern const Scenario course_programs_scenario;
extern const Scenario unix_socket_scenario;
extern const Scenario packet_socket_scenario;
extern const Scenario delayed_ack_scenario;
extern const Scenario simultaneous_close_scenario;
extern const Scenario out_of_order_scenario;

const std::vector<const Scenario*>& all_scenarios() {
    static const std::vector<const Scenario*> list{
        &refused_scenario,
        &rst_scenario,
        &syn_timeout_scenario,
        &zero_window_scenario,
        &fast_retransmit_scenario,
        &slow_start_scenario,
        &fast_recovery_scenario,
        &congestion_avoidance_scenario,
        &timeout_scenario,
        &loss_scenario,
        &handshake_scenario,
        &teardown_scenario,
        &half_close_scenario,
        &time_wait_scenario,
        &nagle_scenario,
        &keepalive_scenario,
        &mss_scenario,
        &ipv6_scenario,
        &chat_scenario,
        // course scenarios:
        &byte_order_scenario,
        &addresses_scenario,
        &message_boundaries_scenario,
        &course_programs_scenario,
        &unix_socket_scenario,
        &packet_socket_scenario,
        &delayed_ack_scenario,
        &simultaneous_close_scenario,
        &out_of_order_scenario,
    };
    return list;
}

const Scenario* find_scenario(const std::string& name) {
    for (const Scenario* s : all_scenarios()) {
        if (name == s->name) return s;
    }
    return nullptr;
}

}  // namespace tcpviz::lab
