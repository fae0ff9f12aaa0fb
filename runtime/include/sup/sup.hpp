// Everything: actors, messages, the runtime, supervisors, events, process children.
#pragma once

#include "sup/actor.hpp"
#include "sup/backoff.hpp"
#include "sup/call.hpp"
#include "sup/clock.hpp"
#include "sup/event_queue.hpp"
#include "sup/events.hpp"
#include "sup/exit_reason.hpp"
#include "sup/inspect.hpp"
#include "sup/messages.hpp"
#include "sup/names.hpp"
#include "sup/pid.hpp"
#include "sup/process.hpp"
#include "sup/result.hpp"
#include "sup/runtime.hpp"
#include "sup/supervisor.hpp"
