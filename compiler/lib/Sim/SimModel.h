// The tree as `supc sim` runs it (private to lib/Sim): each node of the elaborated tree
// with its settings translated to the runtime's types, and the standard kinds expanded:
//
//   std.Registry             a stand-in worker
//   std.TaskSupervisor       a dynamic supervisor of temporary stand-ins (shutdown 5s)
//   std.PartitionSupervisor  a one_for_one supervisor of `partitions` children "0".."N-1"
//                            made from its `of` kind
//   std.Pool                 a one_for_one supervisor of `size` children "worker_1".."worker_N"
//                            made from its `of` kind (the dispatcher is not simulated)
//   other C++ supervisors    one stand-in whose child type is supervisor (their children
//                            are their own business), as are supervisor templates whose
//                            children depend on start arguments
//
// The standard supervisors take the .sup defaults: 3 restarts per 5 s, no backoff.
#pragma once

#include "supc/Simulator.h"

#include <memory>
#include <optional>
#include <string>
#include <sup/supervisor.hpp>
#include <vector>

namespace supc::sim {

struct SimNode {
    enum class Kind : unsigned char {
        Worker,     // a stand-in (workers, std.Registry, opaque C++ supervisors)
        Supervisor, // a static supervisor
        Dynamic,    // a dynamic supervisor: children from `templ`, numbered 1, 2, ...
    };
    Kind kind = Kind::Worker;
    std::string id;   // "" for the root and templates
    std::string decl; // the declaration, for messages: "Cache", "std.Pool"
    const SimNode* parent = nullptr;
    bool isTemplate = false;
    /// A C++ supervisor simulated as one stand-in (Kind::Worker, type supervisor).
    bool opaque = false;

    // As a child of its supervisor.
    sup::Restart restart = sup::Restart::permanent;
    sup::Shutdown shutdown = sup::Shutdown::timeout(std::chrono::milliseconds(5000));
    bool significant = false;
    sup::ChildType type = sup::ChildType::worker;

    // As a supervisor.
    sup::SupervisorFlags flags;
    std::optional<std::size_t> maxChildren;
    std::vector<std::unique_ptr<SimNode>> children;
    std::unique_ptr<SimNode> templ;

    bool isRoot() const { return parent == nullptr && !isTemplate; }
    bool isSupervisor() const { return kind != Kind::Worker; }
    /// A stand-in the script can crash, stop and hang.
    bool isStandIn() const { return kind == Kind::Worker; }
    const SimNode* child(std::string_view id) const;
    /// "worker", "supervisor", "dynamic supervisor", "C++ supervisor (stand-in)".
    std::string what() const;
};

struct Model {
    std::unique_ptr<SimNode> root;
    std::string rootName; // the root's declaration
    std::size_t nodes = 0;
};

/// Where a script path leads in the model.
struct PathTarget {
    const SimNode* node = nullptr; // the template, for a dynamic child
    /// For each segment: whether it numbers a dynamic child.
    bool dynamicChild = false; // the last segment
    std::string problem;       // why the path names nothing (node is null)
};
PathTarget resolve(const Model& model, std::string_view path);

/// A dynamic child's id: a decimal number without leading zeros.
bool isNumber(std::string_view s);

} // namespace supc::sim
