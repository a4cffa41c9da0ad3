// Internal to frame_layers*.cpp: appends layers and fields to a FrameLayers,
// reading each field's value only when its bytes were captured.
#pragma once

#include <algorithm>

#include "tcpviz/frame_layers.h"

namespace tcpviz::layers_detail {

class LayerBuilder {
public:
    LayerBuilder(FrameLayers& out, Bytes frame) : out_(out), frame_(frame) {}

    Bytes frame() const { return frame_; }

    // Opens a layer of `length` bytes at `offset` inside `parent`; returns its index.
    int open(LayerKind kind, int parent, std::size_t offset, std::size_t length, std::uint32_t type = 0) {
        Layer layer;
        layer.kind = kind;
        layer.parent = parent;
        layer.offset = static_cast<std::uint32_t>(offset);
        layer.length = static_cast<std::uint32_t>(length);
        const std::size_t available = offset < frame_.size() ? frame_.size() - offset : 0;
        layer.captured = static_cast<std::uint32_t>(std::min(length, available));
        layer.first_field = static_cast<std::uint32_t>(out_.fields.size());
        layer.type = type;
        out_.layers.push_back(layer);
        current_ = static_cast<int>(out_.layers.size()) - 1;
        return current_;
    }

    // Fields go to the layer opened last (fields of a layer are added before
    // its children are opened).
    void field(std::string_view id, FieldFormat format, std::size_t offset, std::size_t length,
               std::uint8_t first_bit = 0, std::uint8_t bit_count = 0) {
        LayerField f;
        f.id = id;
        f.format = format;
        f.offset = static_cast<std::uint32_t>(offset);
        f.length = static_cast<std::uint32_t>(length);
        f.first_bit = first_bit;
        f.bit_count = bit_count;
        f.captured = has(frame_, offset, length);
        if (f.captured && length <= 8 && (format == FieldFormat::number || format == FieldFormat::hex)) {
            std::uint64_t v = 0;
            for (std::size_t i = 0; i < length; ++i) v = (v << 8) | be8(frame_, offset + i);
            if (bit_count != 0) {
                const unsigned shift = static_cast<unsigned>(length * 8 - first_bit - bit_count);
                v = (v >> shift) & ((std::uint64_t{1} << bit_count) - 1);
            }
            f.value = v;
        }
        out_.fields.push_back(f);
        ++out_.layers[static_cast<std::size_t>(current_)].field_count;
    }
    // A whole-byte number field.
    void number(std::string_view id, std::size_t offset, std::size_t length) {
        field(id, FieldFormat::number, offset, length);
    }
    void hex(std::string_view id, std::size_t offset, std::size_t length) {
        field(id, FieldFormat::hex, offset, length);
    }
    void bits(std::string_view id, std::size_t offset, std::size_t length, std::uint8_t first_bit,
              std::uint8_t bit_count, FieldFormat format = FieldFormat::number) {
        field(id, format, offset, length, first_bit, bit_count);
    }

    void problem(int layer, std::string_view why) { out_.layers[static_cast<std::size_t>(layer)].problem = why; }

private:
    FrameLayers& out_;
    Bytes frame_;
    int current_ = -1;
};

// Each adds its layer (and the layers inside it) under `parent`, starting at
// `offset` in the frame.
// The IP functions return where the datagram ends in the frame (its wire
// length, which the capture may have cut), or 0 when the header was unreadable.
std::size_t add_ipv4(LayerBuilder& b, int parent, std::size_t offset, std::uint32_t wire_length, FrameLayers& out);
std::size_t add_ipv6(LayerBuilder& b, int parent, std::size_t offset, std::uint32_t wire_length, FrameLayers& out);
// `segment_length` is the TCP segment's length on the wire, from IP.
void add_tcp(LayerBuilder& b, int parent, std::size_t offset, std::uint32_t segment_length, FrameLayers& out);

}  // namespace tcpviz::layers_detail
