// `supc run`: a tree of programs and supervisors run as it is, without C++ (docs/cli.md,
// "supc run"). The tree is the checked tree of one root; its programs become the runtime's
// process children, its supervisors and dynamic supervisors the runtime's.
#pragma once

#include "supc/Tree.h"

#include <functional>
#include <string>
#include <vector>

namespace supc::run {

/// A node `supc run` cannot run: a C++ worker or a C++ supervisor (they need a program
/// built with `supc compile`). Empty when the whole tree can run.
struct Problem {
    const Node* node = nullptr;
    std::string message;
};
std::vector<Problem> checkRunnable(const Tree& tree);

struct Options {
    /// Receives each supervision event as one line of JSON, as `supc sim` prints them but
    /// with `t_ms` the milliseconds since the start (no newline).
    std::function<void(const std::string&)> event;
    /// Receives the runtime's log reports (the programs' output lines among them).
    std::function<void(std::string_view)> log;
    /// Receives one line about the run itself ("stopping on SIGTERM", ...).
    std::function<void(const std::string&)> note;
};

struct Outcome {
    enum class Kind : unsigned char {
        Stopped,     // SIGTERM or SIGINT: the tree was stopped in order
        RootDown,    // the root gave up (or shut itself down): it is not running any more
        StartFailed, // the tree could not start
    };
    Kind kind = Kind::Stopped;
    std::string reason; // the root's exit reason, or why it did not start
};

/// Runs `tree` (checkRunnable must have found nothing) until SIGTERM or SIGINT, or until
/// its root goes down. Blocks SIGTERM and SIGINT in the calling thread (so that every
/// thread the runtime makes inherits the mask) and waits for them with a signalfd.
Outcome runTree(const Tree& tree, const Options& options);

} // namespace supc::run
