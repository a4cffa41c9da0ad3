#include "tcpviz/unacked_segments.h"

#include <algorithm>

namespace tcpviz {
namespace {

// Within half the sequence space, the wrapping order of sequence numbers is
// the plain order of their distances from a common start: the in-order list
// keeps all its numbers within that from the oldest segment's start.
constexpr std::uint32_t half_space = 0x8000'0000u;

// Whether `next`, pushed after `prev`, keeps the list in order: it starts no
// earlier, ends no earlier, and everything stays within half the sequence
// space from `start` (the oldest segment's start).
bool follows(const UnackedSegment& prev, const UnackedSegment& next, SeqNum start) {
    const std::uint32_t prev_seq = prev.seq - start, prev_end = prev.nextseq - start;
    const std::uint32_t seq = next.seq - start, end = next.nextseq - start;
    return prev_seq <= seq && prev_end <= end && seq <= end && end < half_space;
}

}  // namespace

void UnackedSegments::push_back(const UnackedSegment& s) {
    if (empty()) {
        items_.clear();
        head_ = 0;
        in_order_ = s.nextseq - s.seq < half_space;
    } else if (in_order_) {
        in_order_ = follows(items_.back(), s, (*this)[0].seq);
    }
    items_.push_back(s);
}

UnackedSegments::Acknowledged UnackedSegments::acknowledge(SeqNum ack) {
    if (empty()) return {};
    const SeqNum start = (*this)[0].seq;
    const std::uint32_t a = ack - start;
    // An ack "before" the oldest segment would turn the comparisons around.
    if (!in_order_ || a >= half_space) return acknowledge_by_walking(ack);

    // Distances from `start` compare like the sequence numbers themselves.
    const auto first = items_.begin() + static_cast<std::ptrdiff_t>(head_);
    const auto end_of = [start](const UnackedSegment& s) { return s.nextseq - start; };
    // The segments ending at or before the ack: a prefix, since ends only grow.
    const auto covered =
        std::partition_point(first, items_.end(), [&](const UnackedSegment& s) { return end_of(s) <= a; });
    // The oldest that ends exactly at the ack: the first of the prefix's last run of equal ends.
    Acknowledged result;
    const auto exact = std::partition_point(first, covered, [&](const UnackedSegment& s) { return end_of(s) < a; });
    if (exact != covered) result = {true, exact->frame, exact->ts};
    head_ = static_cast<std::size_t>(covered - items_.begin());
    // Segments the ack reaches into keep their unacknowledged rest; they are
    // the ones that start before it, again a prefix.
    for (auto it = covered; it != items_.end() && it->seq - start < a; ++it) it->seq = ack;
    // Drop the acknowledged storage once it is most of the vector.
    if (head_ > 64 && head_ * 2 > items_.size()) {
        items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
    return result;
}

// Wireshark's walk (tcp_analyze_sequence_number, "remove all segments this
// ACKs"): newest to oldest keeping the last exact match, then every segment
// tested on its own.
UnackedSegments::Acknowledged UnackedSegments::acknowledge_by_walking(SeqNum ack) {
    Acknowledged result;
    for (std::size_t i = items_.size(); i-- > head_;) {
        if (ack == items_[i].nextseq) result = {true, items_[i].frame, items_[i].ts};
    }
    std::size_t keep = 0;
    for (std::size_t i = head_; i < items_.size(); ++i) {
        UnackedSegment s = items_[i];
        if (ack != s.nextseq) {
            if (ack > s.seq && ack <= s.nextseq) {
                s.seq = ack;  // partly acknowledged: keep the rest
                items_[keep++] = s;
                continue;
            }
            if (s.nextseq > ack) {
                items_[keep++] = s;  // acknowledged later, if at all
                continue;
            }
        }
        // acknowledged in full: dropped
    }
    items_.resize(keep);
    head_ = 0;
    recheck_order();
    return result;
}

void UnackedSegments::restore(std::span<const UnackedSegment> segments, bool in_order) {
    items_.assign(segments.begin(), segments.end());
    head_ = 0;
    in_order_ = in_order;
}

void UnackedSegments::recheck_order() {
    in_order_ = true;
    if (empty()) return;
    in_order_ = (*this)[0].nextseq - (*this)[0].seq < half_space;
    for (std::size_t i = 1; in_order_ && i < size(); ++i)
        in_order_ = follows((*this)[i - 1], (*this)[i], (*this)[0].seq);
}

UnackedSegments::Extent UnackedSegments::extent_from(SeqNum base) const {
    const UnackedSegment& oldest = (*this)[0];
    const UnackedSegment& newest = back();
    Extent x{newest.seq - base, newest.nextseq - base};
    // In order and not across `base`, the oldest starts first and the newest ends last.
    if (in_order_ && oldest.seq - base <= newest.nextseq - base) return {oldest.seq - base, x.last};
    for (std::size_t i = 0; i < size(); ++i) {
        x.last = std::max(x.last, (*this)[i].nextseq - base);
        x.first = std::min(x.first, (*this)[i].seq - base);
    }
    return x;
}

}  // namespace tcpviz
