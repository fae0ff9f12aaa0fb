// The tree as `supc sim` runs it (private to lib/Sim): each node of the elaborated tree
// with its settings translated to the runtime's types. Workers are stand-ins; so are C++
// supervisors other than the standard components (their children are their own business),
// and supervisor templates whose children depend on start arguments. The standard
// components (std.Pool, std.PartitionSupervisor, std.TaskSupervisor) are supervisors like
// any other here: elaboration expanded them into the trees they build, with their settings.
#pragma once

#include "supc/SettingTable.h"
#include "supc/Simulator.h"

#include <memory>
#include <optional>
#include <string>
#include <sup/supervisor.hpp>
#include <unordered_map>
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

    // As a child of its supervisor: the runtime's spec of it (its start function aside),
    // from the elaborated tree's settings by the settings table (SettingTable.h); a
    // template's is `templSpec`. Unused for the root.
    sup::ChildSpec spec;
    sup::ChildTemplate templSpec;

    // As a supervisor: its flags and max_children, by the settings table.
    sup::DynamicSupervisorSpec supervisor;

    sup::Restart restart() const { return isTemplate ? templSpec.restart : spec.restart; }
    sup::Shutdown shutdown() const {
        return (isTemplate ? templSpec.shutdown : spec.shutdown)
            .value_or(sup::Shutdown::brutal_kill());
    }
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
    const Tree* tree = nullptr; // what it was built from: paths are looked up there
    std::unordered_map<const Node*, const SimNode*> byNode;
};

/// Where a script path leads in the model (analysis::lookupPath in the tree).
struct PathTarget {
    const SimNode* node = nullptr; // the template, for a dynamic child
    bool dynamicChild = false;     // the last segment numbers a dynamic child
    std::string problem;           // why the path names nothing (node is null)
};
PathTarget resolve(const Model& model, std::string_view path);

} // namespace supc::sim
