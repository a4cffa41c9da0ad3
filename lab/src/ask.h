// Asking a scenario's questions: each answer computed from the timeline,
// --pause waiting for Enter, --quiz asking for a prediction and scoring it.
#pragma once

#include <cstdio>

#include "scenario.h"

namespace tcpviz::lab {

struct AskOptions {
    Lang lang = Lang::en;
    bool pause = false;
    bool quiz = false;
};

void ask_questions(const Scenario& scenario, const Timeline& timeline, const AskOptions& options, std::FILE* out,
                   std::FILE* in);

// Whether a student's reply names the same number as the packets (a
// non-integer answer within 10%, for times).
bool prediction_matches(const std::string& reply, const std::string& expected);

}  // namespace tcpviz::lab
