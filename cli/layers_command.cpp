#include "layers_command.h"

#include <algorithm>
#include <charconv>
#include <memory>

#include "command_error.h"
#include "tcpviz/layers_text.h"
#include "tcpviz/output_file.h"
#include "tcpviz/packet.h"
#include "tcpviz/pcap_file.h"

namespace tcpviz {
namespace {

// A selection may list at most this many frames: the output is for reading.
constexpr std::uint64_t max_selected_frames = 10'000;

bool parse_number(std::string_view text, std::uint64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size() && out >= 1;
}

// A frame kept for the default choice: the first TCP frame with payload,
// else the first TCP frame, else the first frame.
struct KeptFrame {
    std::uint64_t number = 0;
    double t = 0;
    std::uint32_t wire_length = 0;
    std::vector<std::byte> bytes;
    int rank = 0;  // 3: TCP with payload, 2: TCP, 1: any frame, 0: none yet
};

int rank_of(int link_type, const PacketRecord& record) {
    const DecodedPacket packet = decode_packet(link_type, record);
    if (packet.kind != PacketKind::tcp) return 1;
    return packet.payload.empty() ? 2 : 3;
}

void keep(KeptFrame& kept, std::uint64_t number, double t, const PacketRecord& record) {
    kept.number = number;
    kept.t = t;
    kept.wire_length = record.wire_length;
    kept.bytes.assign(record.data.begin(), record.data.end());
}

}  // namespace

bool FrameSelection::contains(std::uint64_t frame) const {
    return std::any_of(ranges.begin(), ranges.end(),
                       [&](const auto& r) { return frame >= r.first && frame <= r.second; });
}

std::uint64_t FrameSelection::last() const {
    std::uint64_t last = 0;
    for (const auto& r : ranges) last = std::max(last, r.second);
    return last;
}

std::optional<FrameSelection> parse_frame_selection(const std::string& text, std::string& error) {
    FrameSelection out;
    std::uint64_t count = 0;
    std::string_view rest = text;
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        const std::size_t dash = item.find('-');
        std::uint64_t first = 0, last = 0;
        const bool ok = dash == std::string_view::npos
                            ? parse_number(item, first) && parse_number(item, last)
                            : parse_number(item.substr(0, dash), first) && parse_number(item.substr(dash + 1), last);
        if (!ok || last < first) {
            error = "--frame wants frame numbers from 1, e.g. 4, 4-6 or 1,4-6 (got \"" + text + "\")";
            return std::nullopt;
        }
        count += last - first + 1;
        if (count > max_selected_frames) {
            error = "--frame selects more than " + std::to_string(max_selected_frames) + " frames";
            return std::nullopt;
        }
        out.ranges.emplace_back(first, last);
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return out;
}

int run_layers(const AnalyzeRequest& request, std::FILE* err) {
    std::string error;
    if (!request.html.empty())
        return fail(err, request.html, "--html writes a timeline report; --format layers does not make one");
    std::optional<FrameSelection> selection;
    if (!request.frames.empty()) {
        selection = parse_frame_selection(request.frames, error);
        if (!selection) return fail(err, "--frame", error);
    }
    const std::string output = request.output.empty() ? "-" : request.output;
    if (const auto clash = find_output_clash({request.capture}, {{"-o", output}}))
        return fail(err, clash->path, clash->reason);
    std::unique_ptr<PcapFile> file = PcapFile::open(request.capture, error);
    if (!file) return fail(err, request.capture, error);
    if (!request.filter.empty() && !file->set_filter(request.filter, error)) return fail(err, request.capture, error);
    std::unique_ptr<OutputFile> out_file = OutputFile::open(output, error);
    if (!out_file) return fail(err, output, error);

    const Lang lang = request.lang == "zh" ? Lang::zh : Lang::en;
    std::string text;
    KeptFrame kept;
    PacketRecord record;
    std::uint64_t frame = 0;
    std::uint64_t shown = 0;
    std::int64_t first_ns = -1;
    std::string message;
    while (true) {
        const PcapFile::Status status = file->next(record, message);
        if (status == PcapFile::Status::end || status == PcapFile::Status::cut_off) break;
        if (status == PcapFile::Status::damaged)
            return fail(err, request.capture, "damaged after packet " + std::to_string(frame) + ": " + message);
        ++frame;
        const std::int64_t ns = record.ts_sec * 1'000'000'000 + record.ts_nsec;
        if (first_ns < 0) first_ns = ns;
        const double t = static_cast<double>(ns - first_ns) / 1e9;
        if (!file->matches(record)) continue;
        if (selection) {
            if (!selection->contains(frame)) {
                if (frame > selection->last()) break;
                continue;
            }
            if (shown++) text += '\n';
            append_layers_text(text, {request.capture, frame, t, false},
                               decode_layers(file->link_type(), record.data, record.wire_length), record.data, lang);
            continue;
        }
        if (const int rank = rank_of(file->link_type(), record); rank > kept.rank) {
            keep(kept, frame, t, record);
            kept.rank = rank;
            if (rank == 3) break;
        }
    }
    if (!selection && kept.rank > 0) {
        const Bytes bytes(kept.bytes.data(), kept.bytes.size());
        append_layers_text(text, {request.capture, kept.number, kept.t, true},
                           decode_layers(file->link_type(), bytes, kept.wire_length), bytes, lang);
        shown = 1;
    }
    if (shown == 0) {
        return fail(err, request.capture,
                    selection ? "no frame " + request.frames + " in the capture (it has " + std::to_string(frame) +
                                    " frames" + (request.filter.empty() ? "" : " before the filter") + ")"
                              : "the capture has no frames");
    }
    if (std::fwrite(text.data(), 1, text.size(), out_file->file()) != text.size() || !out_file->commit(error)) {
        return fail(err, output, error.empty() ? "cannot write" : error);
    }
    return 0;
}

}  // namespace tcpviz
