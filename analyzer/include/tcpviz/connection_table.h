// The connections of a capture: finds the one a segment belongs to or opens
// it, and retires the finished and idle ones so that memory stays flat on
// captures of millions of connections.
//
// Numbering follows tshark's tcp.stream: one id per conversation, in order
// of first appearance, a new one only when a SYN (or SYN-ACK) with a new ISN
// reuses the ports (Wireshark issues 15097, 16944). Wireshark never forgets
// a conversation, so a 4-tuple seen again after any pause continues its old
// one. Retirement keeps that exact: a retired connection is stored whole in
// a temporary file (ConnectionArchive) and comes back as it was when its
// 4-tuple is seen again; in memory only its place in the file (8 bytes)
// and a 32-bit fingerprint of its 4-tuple in a hash table at most half full
// stay: 1M connections peak at 46-50 MB (SYN-only / complete) where they
// took 1.2-1.6 GB.
//
// When retirement happens therefore changes nothing in the results, only
// what is in memory: a connection is retired 60 seconds (2 MSL, when
// TIME-WAIT would end) after the last segment once it is closed, 5 minutes
// after the last segment while it is not, and the least recently active
// ones go first when more than `max_open` are open at once.
#pragma once

#include <cstdint>
#include <deque>
#include <iterator>
#include <memory>
#include <unordered_map>
#include <vector>

#include "tcpviz/connection_archive.h"
#include "tcpviz/tcp_header.h"
#include "tcpviz/tracked_connection.h"

namespace tcpviz {

// The conversation key: both directions of a connection give the same key.
struct ConnectionKey {
    IpAddress a, b;
    std::uint16_t port_a = 0, port_b = 0;
    static ConnectionKey of(const Endpoint& src, const Endpoint& dst);
    friend bool operator==(const ConnectionKey&, const ConnectionKey&) = default;
};

struct ConnectionKeyHash {
    std::uint64_t operator()(const ConnectionKey& k) const;
};

struct RetirementPolicy {
    Nanos closed_for = 60'000'000'000;  // after a closed connection's last segment
    Nanos idle_for = 300'000'000'000;   // after an open connection's last segment
    // 0 keeps nothing in memory between segments, not even the connection
    // of the latest one (tests use it to retire after every segment).
    std::size_t max_open = 8192;
};

class ConnectionTable {
public:
    explicit ConnectionTable(RetirementPolicy policy = {});

    // The connection of a segment from `src` to `dst`, opened if there is
    // none; `reused_ports` when a SYN or SYN-ACK with a new ISN came on ports
    // in use. The reference is valid until the next call to this table.
    struct Found {
        TrackedConnection& conn;
        bool reused_ports = false;
    };
    Found find_or_open(const Endpoint& src, const Endpoint& dst, const TcpHeader& h, std::uint64_t frame, Nanos ts);

    // Retires what the policy says is finished or idle at `now`, and the
    // least recently active beyond max_open.
    void retire(Nanos now);

    // Every connection ever opened, by id (0, 1, ...). A retired one is read
    // back into a copy valid until the next call.
    std::size_t size() const { return where_.size(); }
    const Connection& operator[](std::size_t id) const;

    class Iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = Connection;
        using difference_type = std::ptrdiff_t;
        using pointer = const Connection*;
        using reference = const Connection&;
        Iterator(const ConnectionTable& t, std::size_t id) : table_(&t), id_(id) {}
        const Connection& operator*() const { return (*table_)[id_]; }
        Iterator& operator++() {
            ++id_;
            return *this;
        }
        friend bool operator==(const Iterator& a, const Iterator& b) { return a.id_ == b.id_; }

    private:
        const ConnectionTable* table_;
        std::size_t id_;
    };
    Iterator begin() const { return {*this, 0}; }
    Iterator end() const { return {*this, size()}; }

    // Bytes the connections in memory hold, roughly (their slots, state
    // lists and unacknowledged segments): what a copy of the table costs.
    std::size_t memory_bytes() const;
    std::uint64_t retired_count() const { return retired_; }
    // Retired while still active because more than max_open were open.
    std::uint64_t retired_early_count() const { return retired_early_; }
    const RetirementPolicy& policy() const { return policy_; }

private:
    static constexpr std::uint32_t none = 0xFFFFFFFFu;
    static constexpr std::uint64_t in_memory = 1ull << 63;  // where_: a slot, not a place in the file

    struct Slot {
        TrackedConnection conn;
        ConnectionKey key;
        std::uint32_t older = none, newer = none;  // the list from least to most recently active
    };

    // Fingerprints of the 4-tuples of retired connections, to find them again.
    class RetiredKeys {
    public:
        void add(std::uint32_t fingerprint, std::uint32_t id);
        void remove(std::uint32_t fingerprint, std::uint32_t id);
        // The ids stored under a fingerprint (most are the connection sought).
        void find(std::uint32_t fingerprint, std::vector<std::uint32_t>& ids) const;

    private:
        static constexpr std::uint32_t empty = 0xFFFFFFFFu, removed = 0xFFFFFFFEu;
        void grow();
        std::vector<std::uint32_t> fingerprints_, ids_;
        std::size_t used_ = 0;  // entries, removed ones included
    };

    std::uint32_t lookup(const ConnectionKey& key);
    std::uint32_t open(const ConnectionKey& key, const Endpoint& src, const Endpoint& dst, const TcpHeader& h,
                       std::uint64_t frame, Nanos ts);
    std::uint32_t bring_back(const ConnectionKey& key);
    std::uint32_t take_slot();
    void retire_slot(std::uint32_t slot);
    bool expired(const Connection& c, Nanos now) const;
    void link_newest(std::uint32_t slot);
    void unlink(std::uint32_t slot);

    RetirementPolicy policy_;
    std::deque<Slot> slots_;
    std::vector<std::uint32_t> free_slots_;
    std::unordered_map<ConnectionKey, std::uint32_t, ConnectionKeyHash> by_key_;  // newest connection of a key
    std::deque<std::uint64_t> where_;  // by id: in_memory | slot, or the place in the archive
    std::uint32_t oldest_ = none, newest_ = none;
    std::size_t open_ = 0;
    std::uint64_t retired_ = 0, retired_early_ = 0;
    RetiredKeys retired_keys_;
    // Shared by copies of the table (see ConnectionArchive).
    std::shared_ptr<ConnectionArchive> archive_ = std::make_shared<ConnectionArchive>();
    mutable TrackedConnection scratch_;
    std::vector<std::uint32_t> candidates_;
    // The conversation of the previous segment, to skip the map look-up.
    ConnectionKey last_key_;
    std::uint32_t last_slot_ = none;
};

}  // namespace tcpviz
