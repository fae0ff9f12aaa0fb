// `supc sim`: the elaborated tree running on the real runtime (deterministic mode, one
// scheduler thread, a virtual clock) with stand-in workers, driven by a script
// (SimScript.h), printing one JSON object per supervisor event (docs/sim.md).
//
//   std::string why;
//   auto model = sim::buildModel(tree, why);            // the tree sim runs
//   sim::Script script = sim::parseScript(text, "s.txt", errors);
//   sim::checkScript(*model, script, errors);           // paths and commands, before running
//   sim::SimResult r = sim::simulate(*model, script, llvm::outs());
//
// Same model and script, same trace, byte for byte, on every run.
#pragma once

#include "supc/SimScript.h"
#include "supc/Tree.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace supc::sim {

/// The tree as sim runs it: the elaborated tree (with the standard components as
/// elaboration expanded them), every worker a stand-in (docs/sim.md). It refers to the tree,
/// which must outlive it.
struct Model;
struct ModelDeleter {
    void operator()(const Model* m) const;
};
using ModelPtr = std::unique_ptr<const Model, ModelDeleter>;

/// Null, with the reason in `error`, when the tree cannot be simulated (a dynamic
/// supervisor without a template).
ModelPtr buildModel(const Tree& tree, std::string& error);

/// Every path the model names statically, in start order ("" for the root first).
std::vector<std::string> staticPaths(const Model& model);

/// Checks each command against the tree before anything runs: its path names a node
/// (dynamic children: a number under a dynamic supervisor), and the command applies to
/// what the path names (exit and hang: workers; start_child: dynamic supervisors; ...).
void checkScript(const Model& model, const Script& script, std::vector<ScriptError>& errors);

struct SimOptions {
    /// More events than this after one script line and the simulation stops (a restart
    /// loop that would not end in reasonable time: a huge fail_start under a huge
    /// intensity).
    size_t maxEventsPerLine = 2'000'000;
    /// Add "t_ms" (virtual milliseconds) to every trace line.
    bool timestamps = true;
};

struct SimResult {
    enum class Status : unsigned char {
        Ok,        // the script ran to its end, or the root went down (give_up, auto_shutdown)
        BadScript, // a command cannot be run in the tree's state (unknown child, running, ...)
        Stuck,     // the tree cannot settle: a supervisor waits forever for a hung child
    };
    Status status = Status::Ok;
    std::vector<ScriptError> errors; // what went wrong, at the script line
    std::vector<ScriptError> notes;  // remarks for standard error (lines not run, ...)
};

/// Starts the tree, runs the script, writes the trace to `out`; stops at the first error.
SimResult simulate(const Model& model, const Script& script, llvm::raw_ostream& out,
                   const SimOptions& options = {});

} // namespace supc::sim
