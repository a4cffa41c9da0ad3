#include "tcpviz/connection_table.h"

#include <algorithm>
#include <tuple>

namespace tcpviz {
namespace {

using namespace tcp_flag;

bool is_pure_syn(const TcpHeader& h) { return (h.flags & (syn | ack)) == syn; }
bool is_syn_ack(const TcpHeader& h) { return (h.flags & (syn | ack)) == (syn | ack); }

std::uint32_t fingerprint(const ConnectionKey& key) {
    const std::uint64_t h = ConnectionKeyHash{}(key);
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

ConnectionKey ConnectionKey::of(const Endpoint& src, const Endpoint& dst) {
    const bool src_first = std::tie(src.ip, src.port) < std::tie(dst.ip, dst.port);
    const Endpoint& first = src_first ? src : dst;
    const Endpoint& second = src_first ? dst : src;
    return ConnectionKey{first.ip, second.ip, first.port, second.port};
}

std::uint64_t ConnectionKeyHash::operator()(const ConnectionKey& k) const {
    // FNV-1a over the address bytes and ports.
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](const std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ULL;
    };
    mix(k.a.bytes.data(), k.a.size());
    mix(k.b.bytes.data(), k.b.size());
    const std::uint16_t ports[2] = {k.port_a, k.port_b};
    mix(reinterpret_cast<const std::uint8_t*>(ports), sizeof ports);
    return h;
}

ConnectionTable::ConnectionTable(RetirementPolicy policy) : policy_(policy) {}

ConnectionTable::Found ConnectionTable::find_or_open(const Endpoint& src, const Endpoint& dst, const TcpHeader& h,
                                                     std::uint64_t frame, Nanos ts) {
    const ConnectionKey key = ConnectionKey::of(src, dst);
    std::uint32_t slot = lookup(key);
    bool reused = false;
    if (slot == none) {
        slot = open(key, src, dst, h, frame, ts);
    } else if (is_pure_syn(h) || is_syn_ack(h)) {
        TrackedConnection& c = slots_[slot].conn;
        FlowAnalysis& fwd = c.flow_of(src == c.summary.client ? Direction::c2s : Direction::s2c);
        if (fwd.base_seq_set && h.seq != fwd.base_seq) {
            reused = true;
            // A SYN with a new ISN on ports already used starts a new
            // connection (Wireshark issue 15097). A SYN-ACK with one: the
            // conversation found may be an older one (issue 16944).
            if (is_pure_syn(h)) slot = open(key, src, dst, h, frame, ts);
            else fwd.base_seq = h.seq;
        } else if (fwd.base_seq_set && is_pure_syn(h)) {
            // The same ISN: a retransmitted SYN. A RST may have moved nextseq
            // (RFC 793 3.4): restore it (Wireshark issue 17616).
            fwd.nextseq = fwd.maxseqtobeacked;
        }
    }
    if (slot != newest_) {
        unlink(slot);
        link_newest(slot);
    }
    last_key_ = key;
    last_slot_ = slot;
    return {slots_[slot].conn, reused};
}

std::uint32_t ConnectionTable::lookup(const ConnectionKey& key) {
    // Consecutive segments mostly belong to one connection.
    if (last_slot_ != none && key == last_key_) return last_slot_;
    const auto found = by_key_.find(key);
    if (found != by_key_.end()) return found->second;
    return bring_back(key);
}

// Client = the side that sent the first SYN. Without a SYN: a SYN-ACK's
// sender is the server; otherwise, like Wireshark choosing which port to try
// first, the lower port is taken as the server's.
std::uint32_t ConnectionTable::open(const ConnectionKey& key, const Endpoint& src, const Endpoint& dst,
                                    const TcpHeader& h, std::uint64_t frame, Nanos ts) {
    const std::uint32_t slot = take_slot();
    Slot& s = slots_[slot];
    Connection& c = s.conn.summary;
    c.id = static_cast<std::uint32_t>(where_.size());
    bool src_is_client = src.port != dst.port ? src.port > dst.port : true;
    if (is_pure_syn(h) || is_syn_ack(h)) {
        src_is_client = is_pure_syn(h);
        c.roles_from_syn = true;
    }
    c.client = src_is_client ? src : dst;
    c.server = src_is_client ? dst : src;
    c.first_frame = frame;
    c.first_ts = c.last_ts = ts;
    s.key = key;
    by_key_[key] = slot;
    where_.push_back(in_memory | slot);
    return slot;
}

// A retired connection of this 4-tuple, back in memory; `none` if there is none.
std::uint32_t ConnectionTable::bring_back(const ConnectionKey& key) {
    const std::uint32_t print = fingerprint(key);
    retired_keys_.find(print, candidates_);
    for (const std::uint32_t id : candidates_) {
        archive_->load(where_[id], scratch_);
        if (ConnectionKey::of(scratch_.summary.client, scratch_.summary.server) != key) continue;
        const std::uint32_t slot = take_slot();
        Slot& s = slots_[slot];
        std::swap(s.conn, scratch_);
        s.key = key;
        by_key_[key] = slot;
        where_[id] = in_memory | slot;
        retired_keys_.remove(print, id);
        return slot;
    }
    return none;
}

std::uint32_t ConnectionTable::take_slot() {
    ++open_;
    if (!free_slots_.empty()) {
        const std::uint32_t slot = free_slots_.back();
        free_slots_.pop_back();
        return slot;
    }
    slots_.emplace_back();
    return static_cast<std::uint32_t>(slots_.size() - 1);
}

bool ConnectionTable::expired(const Connection& c, Nanos now) const {
    const SideSummary& client = c.summary_of(Side::client);
    const SideSummary& server = c.summary_of(Side::server);
    const bool closed = c.saw_rst || (client.fin_acked_frame != 0 && server.fin_acked_frame != 0);
    if (now <= c.last_ts) return false;
    // Unsigned, so that timestamps far apart do not overflow.
    const std::uint64_t quiet = static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(c.last_ts);
    return quiet >= static_cast<std::uint64_t>(closed ? policy_.closed_for : policy_.idle_for);
}

void ConnectionTable::retire(Nanos now) {
    // The least recently active first; it is enough to look at the oldest:
    // a connection behind it was active more recently.
    while (oldest_ != none) {
        const bool crowded = open_ > policy_.max_open;
        if (!crowded && !expired(slots_[oldest_].conn.summary, now)) break;
        if (crowded && !expired(slots_[oldest_].conn.summary, now)) ++retired_early_;
        retire_slot(oldest_);
    }
}

void ConnectionTable::retire_slot(std::uint32_t slot) {
    Slot& s = slots_[slot];
    const std::uint32_t id = s.conn.summary.id;
    where_[id] = archive_->store(s.conn);
    // Only the newest connection of a 4-tuple can be seen again; an older
    // one (its ports reused since) is stored for the summary alone.
    const auto found = by_key_.find(s.key);
    if (found != by_key_.end() && found->second == slot) {
        by_key_.erase(found);
        retired_keys_.add(fingerprint(s.key), id);
    }
    if (last_slot_ == slot) last_slot_ = none;
    unlink(slot);
    s.conn = TrackedConnection{};  // gives back the memory of its lists
    free_slots_.push_back(slot);
    --open_;
    ++retired_;
}

void ConnectionTable::link_newest(std::uint32_t slot) {
    Slot& s = slots_[slot];
    s.older = newest_;
    s.newer = none;
    if (newest_ != none) slots_[newest_].newer = slot;
    newest_ = slot;
    if (oldest_ == none) oldest_ = slot;
}

void ConnectionTable::unlink(std::uint32_t slot) {
    Slot& s = slots_[slot];
    const bool linked = s.older != none || s.newer != none || oldest_ == slot;
    if (!linked) return;
    if (s.older != none) slots_[s.older].newer = s.newer;
    else oldest_ = s.newer;
    if (s.newer != none) slots_[s.newer].older = s.older;
    else newest_ = s.older;
    s.older = s.newer = none;
}

const Connection& ConnectionTable::operator[](std::size_t id) const {
    const std::uint64_t where = where_[id];
    if (where & in_memory) return slots_[static_cast<std::uint32_t>(where)].conn.summary;
    archive_->load(where, scratch_);
    return scratch_.summary;
}

// RetiredKeys: open addressing with linear probing, at most half full.

void ConnectionTable::RetiredKeys::add(std::uint32_t fingerprint, std::uint32_t id) {
    if (2 * (used_ + 1) > ids_.size()) grow();
    const std::size_t mask = ids_.size() - 1;
    std::size_t i = fingerprint & mask;
    while (ids_[i] != empty) i = (i + 1) & mask;
    fingerprints_[i] = fingerprint;
    ids_[i] = id;
    ++used_;
}

void ConnectionTable::RetiredKeys::remove(std::uint32_t fingerprint, std::uint32_t id) {
    if (ids_.empty()) return;
    const std::size_t mask = ids_.size() - 1;
    for (std::size_t i = fingerprint & mask; ids_[i] != empty; i = (i + 1) & mask) {
        if (ids_[i] == id && fingerprints_[i] == fingerprint) {
            ids_[i] = removed;  // keeps the probe chains of the others whole
            return;
        }
    }
}

void ConnectionTable::RetiredKeys::find(std::uint32_t fingerprint, std::vector<std::uint32_t>& ids) const {
    ids.clear();
    if (ids_.empty()) return;
    const std::size_t mask = ids_.size() - 1;
    for (std::size_t i = fingerprint & mask; ids_[i] != empty; i = (i + 1) & mask) {
        if (ids_[i] != removed && fingerprints_[i] == fingerprint) ids.push_back(ids_[i]);
    }
}

void ConnectionTable::RetiredKeys::grow() {
    std::vector<std::uint32_t> old_prints = std::move(fingerprints_), old_ids = std::move(ids_);
    std::size_t live = 0;
    for (const std::uint32_t id : old_ids) live += id != empty && id != removed;
    std::size_t capacity = 1024;
    while (capacity < 2 * (live + 1)) capacity *= 2;
    fingerprints_.assign(capacity, 0);
    ids_.assign(capacity, empty);
    used_ = 0;
    for (std::size_t i = 0; i < old_ids.size(); ++i) {
        if (old_ids[i] != empty && old_ids[i] != removed) add(old_prints[i], old_ids[i]);
    }
}

std::size_t ConnectionTable::memory_bytes() const {
    std::size_t total = sizeof(ConnectionTable) + where_.size() * sizeof(std::uint64_t);
    for (const Slot& s : slots_) {
        total += sizeof(Slot) + s.conn.summary.states.capacity() * sizeof(StateChange) + 64;  // + the key map's entry
        for (const FlowAnalysis& f : s.conn.flow) total += f.segments.size() * sizeof(UnackedSegment);
    }
    return total;
}

}  // namespace tcpviz
