// GET /api/live/events: the live session's SseHub as a Server-Sent Events
// response, one HTTP thread per open page.
#pragma once

#include "tcpviz/serve/http_server.h"
#include "tcpviz/serve/live_session.h"

namespace tcpviz::serve {

HttpServer::Handler make_live_handler(LiveSession& live);

}  // namespace tcpviz::serve
