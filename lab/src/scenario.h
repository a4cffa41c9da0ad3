// What a lab scenario is: its strings (English and Chinese side by side, one
// source), the traffic it makes, the questions it answers from the timeline
// and the check that its phenomenon appeared. lab/README.md shows how to add one.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "session.h"
#include "text.h"
#include "timeline.h"

namespace tcpviz::lab {

// The answer to one question, read from the timeline.
struct Answer {
    bool answered = false;
    Vars vars;           // fill the question's answer text (and its question text)
    std::string expect;  // --quiz: the number the student should predict; empty: nothing to predict
    Text why_not;        // when not answered: why this capture cannot answer (both languages)
};

inline Answer cannot(const Text& why) {
    Answer a;
    a.why_not = why;
    return a;
}
inline Answer answer(Vars vars, std::string expect = {}) {
    Answer a;
    a.answered = true;
    a.vars = std::move(vars);
    a.expect = std::move(expect);
    return a;
}

struct Question {
    Text ask;
    Text reply;  // the answer, with {placeholders} from Answer::vars
    std::function<Answer(const Timeline&)> compute;
};

// Whether the scenario's phenomenon is in the timeline, and what was found.
struct Verdict {
    bool seen = false;
    Text message;
    Vars vars;
};

struct Scenario {
    const char* name;  // the CLI name
    Text title;
    Text topic;       // the course topic, for --list
    bool needs_root;  // builds namespaces (false: runs on loopback, also without root)
    Text intro;       // what the programs do
    Text look_for;    // what to look for in the ladder
    // Builds the path, starts the capture, runs the programs, stops it.
    std::function<void(Session&)> run;
    // The frames of the ladder worth printing: {first, last}; {0, 0} for all.
    std::function<std::pair<long long, long long>(const Timeline&)> ladder;
    std::vector<Question> questions;
    std::function<Verdict(const Timeline&)> check;
};

// Every scenario, in the order --list prints them.
const std::vector<const Scenario*>& all_scenarios();
const Scenario* find_scenario(const std::string& name);

}  // namespace tcpviz::lab
