// What the analyze fuzz targets share: every timeline writer (JSON, NDJSON,
// the text ladder in English and in Chinese, with notes) fed the same events,
// writing to /dev/null, so that every formatting path sees fuzzed values.
#pragma once

#include <cstdio>
#include <memory>
#include <vector>

#include "tcpviz/analyzer.h"
#include "tcpviz/timeline_writer.h"

namespace tcpviz::fuzz {

class AllWriters {
public:
    AllWriters() : sink_(std::fopen("/dev/null", "w")) {
        WriterOptions en;
        en.notes = true;
        WriterOptions zh = en;
        zh.lang = Lang::zh;
        WriterOptions short_preview;
        short_preview.payload_bytes = 3;  // cuts UTF-8 sequences at the limit
        writers_.push_back(make_json_writer(sink_, en));
        writers_.push_back(make_ndjson_writer(sink_, short_preview));
        writers_.push_back(make_text_ladder_writer(sink_, en));
        writers_.push_back(make_text_ladder_writer(sink_, zh));
    }
    ~AllWriters() { std::fclose(sink_); }
    AllWriters(const AllWriters&) = delete;
    AllWriters& operator=(const AllWriters&) = delete;

    void begin(int link_type) {
        for (auto& w : writers_) w->begin(TimelineSource{"fuzz", link_type, 9});
    }
    void event(const Event& e, const Analyzer& a) {
        for (auto& w : writers_) w->event(e, a);
    }
    void end(const Analyzer& a) {
        for (auto& w : writers_) w->end(a, {"a warning \x1b[2J"});
    }

private:
    std::FILE* sink_;
    std::vector<std::unique_ptr<TimelineWriter>> writers_;
};

}  // namespace tcpviz::fuzz
