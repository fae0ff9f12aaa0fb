// The trees the standard components build (private to lib/Elab).
//
// A std kind (std.Pool, std.PartitionSupervisor, std.TaskSupervisor) is a C++ class of the
// standard library that builds a supervision tree of its own when it starts. Elaboration
// expands its node into that tree, from the one description of each component in
// StdComponents.cpp, so that dump, graph, lint, sim and impact see the paths and settings
// the running program has (tests/e2e/trees compares them with running programs).
#pragma once

#include "supc/IR.h"
#include "supc/Tree.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace supc::elab {

/// What a description builds with; the elaborator implements it for one component's node.
/// Every node added is counted against the tree's limits, and its settings have origin
/// Component.
class ComponentBuilder {
public:
    virtual ~ComponentBuilder();
    /// The component's node, with its arguments evaluated.
    virtual Node& node() = 0;
    /// An int argument of the component; empty for an optional left out.
    virtual std::optional<int64_t> intArg(std::string_view param) const = 0;
    /// An argument of the component (null: an optional left out, or an error).
    virtual const Value* arg(std::string_view param) const = 0;
    /// The runtime's scheduler threads, as the elaboration's environment says.
    virtual int64_t schedulers() const = 0;
    /// Reports that argument `param` is out of the component's range (E032); the node is
    /// then not expanded.
    virtual void badArgument(std::string_view param, std::string message) = 0;

    /// Says that the component is about to add `nodes` nodes: E004 at once, before any is
    /// made, when the tree would pass its limit.
    virtual void expect(uint64_t nodes) = 0;
    /// Makes `n` a supervisor (or dynamic supervisor) with these flags: auto_shutdown never,
    /// no backoff. The component's own node takes the intensity its child's block gives
    /// (Node::givenIntensity) instead of `intensity`, when there is one.
    virtual void supervise(Node& n, NodeKind kind, Strategy strategy, Intensity intensity,
                           std::optional<int64_t> maxChildren = std::nullopt) = 0;
    /// Adds a child `id` to `parent` that is a part of the component.
    virtual Node& addPart(Node& parent, std::string id, const ComponentPart& part, NodeKind kind,
                          RestartType restart, Shutdown shutdown) = 0;
    /// Makes a part the template of dynamic supervisor `parent`.
    virtual Node& templatePart(Node& parent, const ComponentPart& part, RestartType restart,
                               Shutdown shutdown) = 0;
    /// Adds a child `id` to `parent` made from the component's template (its `kind`
    /// argument), with the template's settings; a template whose one open parameter is an
    /// int receives `index` there (and one with other open parameters is E018).
    virtual void addFromTemplate(Node& parent, std::string id, int64_t index) = 0;
};

/// Expands the node of `b`, a child of standard kind `kind`, into the tree its component
/// builds. Kinds that build no tree (std.Registry, a worker) are left as they are.
void expandComponent(ir::StdKind kind, ComponentBuilder& b);

} // namespace supc::elab
