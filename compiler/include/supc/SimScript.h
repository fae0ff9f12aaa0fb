// The script language of `supc sim` (docs/sim.md): one command per line, `#` comments.
//
//   crash PATH [REASON]        exit PATH normal|shutdown   fail_start PATH N
//   hang PATH                  start_child PATH            terminate_child PATH
//   restart_child PATH         delete_child PATH           advance DURATION
//   stop
//
// parseScript() checks what can be checked without the tree (commands, argument counts,
// durations, numbers, the shape of paths); checkScript() (Simulator.h) then checks paths
// and commands against the elaborated tree before anything runs. Errors carry the line
// and column (1-based, bytes) of the token at fault; `supc sim` reports them through the
// diagnostics engine, located in the script it loaded (Session::load).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace supc::sim {

enum class Op : unsigned char {
    Crash,
    Exit,
    FailStart,
    Hang,
    StartChild,
    TerminateChild,
    RestartChild,
    DeleteChild,
    Advance,
    Stop,
};
std::string_view name(Op op);

/// A position in the script.
struct ScriptLoc {
    unsigned line = 0;
    unsigned column = 0; // first byte of the token
    unsigned length = 0; // bytes of the token, for the caret line
};

struct Command {
    Op op = Op::Stop;
    ScriptLoc loc;    // the command word
    std::string path; // PATH ("" is the root, written "")
    ScriptLoc pathLoc;
    std::string reason;     // crash: REASON (default "crash"); exit: normal | shutdown
    ScriptLoc reasonLoc;    // where REASON was written (line 0 when defaulted)
    int64_t count = 0;      // fail_start: N
    int64_t durationMs = 0; // advance: DURATION
};

struct ScriptError {
    ScriptLoc loc;
    std::string message;
};

struct Script {
    std::string name;              // as errors print it: the file name, or <stdin>
    std::string text;              // the whole script (error lines quote it)
    std::vector<Command> commands; // in order, comments and blank lines left out
};

/// Limits that keep a hostile script from exhausting time or memory (docs/sim.md).
inline constexpr int64_t kMaxFailStarts = 1'000'000;
/// The virtual clock never goes past this (a million hours, about 114 years).
inline constexpr int64_t kMaxVirtualTimeMs = int64_t(1'000'000) * 3'600'000;
/// Errors reported before the parser gives up.
inline constexpr size_t kMaxScriptErrors = 50;

/// Parses `text`; appends an error for each bad line (at most kMaxScriptErrors).
Script parseScript(std::string text, std::string name, std::vector<ScriptError>& errors);

} // namespace supc::sim
