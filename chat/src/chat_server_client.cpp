// One client's turn: what recv() brought (lines, a FIN, an RST), what send()
// can take, and how a client leaves. Input handlers only queue lines;
// flush_output() sends them once a round. Nothing here calls back into the
// handler that called it.
//
// Backpressure. A line from one client is copied into every other client's
// output queue, so the slowest reader sets the pace: while any reader's
// queue is above the high-water mark, the server reads from nobody. The
// senders' bytes wait in the kernel's buffers, their receive windows close,
// and TCP's flow control slows even a flooder down to what the readers take.
// Reading resumes once that queue is down to the low-water mark. A reader
// that stays above the mark for the whole stall time has stopped reading,
// and is dropped -- so the room is only ever as slow as its slowest
// *reading* member.
#include <poll.h>

#include <algorithm>
#include <cstring>

#include "tcpviz/chat/chat_server.h"
#include "tcpviz/chat/text.h"

namespace tcpviz::chat {
namespace {

// One client's turn per round: at most this many lines, or lines adding up
// to this many bytes (but always at least one line). A line fans out to
// every other client, several times larger (name prefix, U+FFFD for bad
// bytes), so a 16 KiB recv() of short lines handled at once could put far
// more than that into each reader's queue before anything is sent. In
// turns, the queues are flushed between rounds, and every sender gets an
// equal share of the room.
constexpr std::size_t max_lines_per_turn = 16;
constexpr std::size_t max_bytes_per_turn = 4096;

}  // namespace

void ChatServer::take_input(Session& session, short revents) {
    switch (session.state()) {
        case Session::State::chatting:
            // Only polled for input when reading is not paused and no earlier
            // lines wait; an error that comes while paused waits for its turn.
            if (reading_paused() || session.has_lines()) return;
            switch (session.receive(read_buffer_)) {
                case Received::data: take_turn(session); return;
                case Received::nothing: return;
                case Received::peer_closed:
                    // A send() that failed has already reported the RST (the kernel
                    // reports an error once); recv() then says 0, not ECONNRESET.
                    if (session.error() != 0) {
                        on_connection_lost(session);
                    } else {
                        on_end_of_input(session);
                    }
                    return;
                case Received::error: on_connection_lost(session); return;
            }
            return;
        case Session::State::lingering:
            // We sent our goodbye and FIN; now we only wait for theirs. Whatever
            // else arrives is read and dropped: closing with unread bytes in the
            // receive buffer would send an RST instead of a FIN.
            switch (session.receive(read_buffer_)) {
                case Received::data:
                case Received::nothing: return;
                case Received::peer_closed:
                    log("  " + name_of(session) + " closed: both FINs sent, connection done");
                    session.their_fin_after_ours();
                    return;
                case Received::error: session.close(); return;
            }
            return;
        case Session::State::saying_goodbye:
            // Not polled for input, so this is POLLERR/POLLHUP: the peer reset
            // the connection instead of reading our goodbye.
            if (revents & (POLLERR | POLLHUP)) session.close();
            return;
        case Session::State::closed: return;
    }
}

void ChatServer::take_turn(Session& session) {
    std::size_t lines = 0;
    std::size_t bytes = 0;
    while (session.state() == Session::State::chatting && !reading_paused() && lines < max_lines_per_turn &&
           bytes < max_bytes_per_turn) {
        const std::optional<LineBuffer::Item> item = session.next_line();
        if (!item) return;
        lines += 1;
        bytes += item->text.size() + 1;
        if (item->kind == LineBuffer::Item::Kind::too_long) {
            ++counters_.long_lines;
            room_.notify(session.id(),
                         "line too long (over " + std::to_string(config_.max_line_bytes) + " bytes): it was not sent");
            log("  " + name_of(session) + ": line too long, discarded");
        } else if (room_.handle_line(session.id(), sanitize_text(item->text)) == ChatRoom::After::quit) {
            on_quit(session);
        }
    }
}

void ChatServer::on_end_of_input(Session& session) {
    // recv() returned 0: the peer's FIN arrived. It will send nothing more
    // (it called shutdown(SHUT_WR) or close()), but it may still be reading:
    // a half-close. We answer with a goodbye line and then close our side,
    // so a capture shows: their FIN, our data, our FIN -- four segments of
    // teardown with data in the middle.
    //
    // (Lines that came before the FIN were all handled: recv() is only
    // called once they are.) A last line without '\n' still counts: the
    // FIN marks its end.
    if (std::optional<std::string> tail = session.unfinished_line()) {
        room_.handle_line(session.id(), sanitize_text(*tail));
    }
    log("- " + name_of(session) + " left (end of input: FIN received)");
    room_.leave(session.id(), LeaveReason::end_of_input);
    session.start_goodbye(Clock::now() + config_.goodbye_time);
}

void ChatServer::on_connection_lost(Session& session) {
    // An error from recv(): usually ECONNRESET (the peer sent an RST: it
    // closed with unread data, crashed, or set SO_LINGER 0) or ETIMEDOUT
    // (keepalive probes went unanswered). recv() handed over every byte
    // that came before the RST first, so their lines are already passed on;
    // an unfinished one is dropped. There is nobody to say goodbye to.
    ++counters_.connections_lost;
    log("- " + name_of(session) + " lost: " + std::strerror(session.error()));
    room_.leave(session.id(), LeaveReason::reset);
    session.close();
}

void ChatServer::on_quit(Session& session) {
    log("- " + name_of(session) + " left (/quit)");
    room_.leave(session.id(), LeaveReason::quit);  // queues their goodbye
    session.start_lingering(Clock::now() + config_.goodbye_time);
}

void ChatServer::on_login_time_up(Session& session) {
    ++counters_.login_timeouts;
    log("- " + name_of(session) + " closed: no line in " + std::to_string(config_.login_time.count()) + " ms");
    room_.notify(session.id(), "no line from you in time; goodbye (send /nick NAME or a line soon after connecting)");
    room_.leave(session.id(), LeaveReason::silent);
    session.start_goodbye(Clock::now() + config_.goodbye_time);
}

// ---------------------------------------------------------------- output

void ChatServer::flush_output() {
    for (auto& [id, session] : sessions_) {
        if (session.state() == Session::State::closed) continue;
        // A socket that had no room last time is tried again only when
        // poll() said it has room now.
        if (session.waiting_for_room() && !std::binary_search(writable_.begin(), writable_.end(), id)) continue;
        switch (session.send_queued()) {
            case Sent::all:
                // Saying goodbye: close() (our FIN). Lingering: shutdown(SHUT_WR).
                if (session.state() != Session::State::chatting) session.goodbye_sent();
                break;
            case Sent::would_block: break;
            case Sent::error: on_send_failed(session); break;
        }
        update_backlog(session);
    }
    writable_.clear();
}

void ChatServer::on_send_failed(Session& session) {
    if (session.state() != Session::State::chatting) {
        session.close();  // it reset instead of taking our goodbye
        return;
    }
    // The peer is gone (usually an RST). Lines it sent before the RST may
    // still wait in our receive buffer; they are read in their turn, and
    // then recv() reports the error (on_connection_lost). Until then,
    // nothing more is sent to it.
    session.discard_output();
}

void ChatServer::update_backlog(Session& session) {
    const bool counts = session.state() == Session::State::chatting;
    if (counts && !session.backlogged_since && session.queued() > config_.queue_high_water) {
        session.backlogged_since = Clock::now();
        if (backlogged_.empty()) ++counters_.read_pauses;
        backlogged_.insert(session.id());
    } else if (session.backlogged_since && (!counts || session.queued() <= config_.queue_low_water)) {
        session.backlogged_since.reset();
        backlogged_.erase(session.id());
    }
}

void ChatServer::drop_not_reading(Session& session, const std::string& why) {
    // A client that has stopped reading: its receive window is zero, our
    // send buffer is full, and its queue does not drain. Waiting would hold
    // up the whole room, so it goes -- with an RST, so that the kernel also
    // throws away what it still holds for it.
    ++counters_.dropped_not_reading;
    log("- " + name_of(session) + " dropped: not reading (" + std::to_string(session.queued()) + " bytes waiting; " +
        why + ")");
    session.backlogged_since.reset();
    backlogged_.erase(session.id());
    room_.leave(session.id(), LeaveReason::not_reading);  // may overflow someone else: drop_overflowed takes them
    session.abort();
}

void ChatServer::drop_overflowed() {
    while (!overflowed_.empty()) {
        const ClientId id = overflowed_.back();
        overflowed_.pop_back();
        Session* session = find(id);
        if (session != nullptr && session->state() != Session::State::closed) {
            drop_not_reading(*session, "output queue full");
        }
    }
}

void ChatServer::send_line(ClientId to, std::string_view line) {
    Session* session = find(to);
    if (session == nullptr || session->state() == Session::State::closed) return;
    if (!session->queue(line)) {
        // Over the hard limit (server notices still arrive while reading is
        // paused): dropped after this step. Listed once.
        if (std::find(overflowed_.begin(), overflowed_.end(), to) == overflowed_.end()) overflowed_.push_back(to);
        return;
    }
    counters_.peak_client_queue = std::max(counters_.peak_client_queue, session->queued());
    update_backlog(*session);
}

}  // namespace tcpviz::chat
