// The checked program, part (b): the elaborated instance tree for one root.
//
// Concrete values everywhere: loops expanded, ids interpolated, arguments evaluated, and
// every default filled in (LANGUAGE.md's tables). Each node points back to its
// declaration and to the child declaration that created it; each setting remembers its
// value, where it came from (the child, the kind's defaults, or the global default) and
// the source range of the setting that gave it, so that the linter can point at the
// `strategy` line or the `shutdown` setting. Dump, graph, lint, sim and impact read this
// and nothing else.
#pragma once

#include "supc/EffectiveSettings.h"
#include "supc/IR.h"
#include "supc/Settings.h"
#include "supc/Value.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace supc {

enum class NodeKind : unsigned char {
    Worker,            // a C++ worker
    Supervisor,        // a static supervisor (or a C++ class with `type = supervisor`)
    DynamicSupervisor, // children started at run time from `templ`
};
std::string_view name(NodeKind k);

struct NodeArg {
    const ir::Param* param = nullptr;
    Value value;              // the parameter's value (none: an optional left out)
    bool explicitArg = false; // given at the use site, rather than the default
    SourceRange range;        // the argument as written, when explicit
};

/// A `needs` entry, resolved to the sibling it names.
struct Need {
    std::string id;
    SourceRange range;
    const class Node* target = nullptr;
};

/// A part of a standard component that the spec does not declare: std.Pool's dispatcher and
/// its workers' supervisor, std.TaskSupervisor's tasks (StdComponents.cpp describes them).
struct ComponentPart {
    std::string_view name;    // "std.Pool.dispatcher": what dump and messages call it
    std::string_view cppType; // its C++ class, if it is one ("" for a supervisor spec)
    std::string_view header;  // where the class is declared
};

/// A program's process (`worker W = program "cmd" { ... }`), as the runtime's
/// sup::ProcessSpec takes it: every string interpolated with the node's arguments, every
/// default filled in. A template's strings keep `{name}` for what each start supplies.
struct ProgramSpec {
    std::string command;
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env; // in order
    std::vector<std::string> unsetEnv;
    bool inheritEnv = true;
    std::string workingDir; // "": the supervising program's
    std::string stopSignal = "SIGTERM";
    int stopSignalNumber = 15; // Linux's
    Readiness readiness = Readiness::Exec;
    NotifySocket notifySocket = NotifySocket::Path;
    std::optional<int64_t> startTimeoutMs = defaults::startTimeoutMs; // empty: infinity
    OutputMode output = OutputMode::Log;
    std::string outputFile; // "": none
    Containment containment = Containment::Automatic;
};

/// A node; as a child of its supervisor (not the root), its ChildSettings (SettingTable.h)
/// are filled in by elaboration (EffectiveSettings.h says from where).
class Node : public ChildSettings {
public:
    std::string id; // empty for a template
    NodeKind kind = NodeKind::Worker;
    const ir::KindDecl* decl = nullptr;       // the declaration instantiated (null for a part)
    const ir::ChildDecl* childDecl = nullptr; // the `child` that made it (null: root, template)
    /// Nodes a standard component builds itself (std.Pool's dispatcher, its workers'
    /// supervisor and the workers made from the pool's template; a PartitionSupervisor's
    /// partitions; a TaskSupervisor's template): the component's node. Their settings are
    /// the component's, not the spec's. Null for the nodes the spec declares.
    const Node* component = nullptr;
    const ComponentPart* part = nullptr; // a part of `component` without a declaration
    const Node* parent = nullptr;
    bool isTemplate = false;

    std::vector<NodeArg> args; // one per parameter, in order
    /// A program's process (workers of a `program` kind); null for every other node.
    std::unique_ptr<ProgramSpec> program;
    std::vector<const ir::Param*> startArgs; // template: parameters given at start_child

    // As a child of its supervisor (not for the root), beside ChildSettings.
    std::vector<Need> needs;
    const ir::Setting* needsSetting = nullptr;

    // As a supervisor: supervisors and dynamic supervisors declared in .sup, and the standard
    // components (std.Pool, ...: with the component's own settings, origin Component). Null
    // for workers and for other C++ classes of type supervisor, whose settings and children
    // are their own business.
    std::unique_ptr<SupervisorSettings> supervisor;
    /// The intensity a child's block gives a standard component that takes one
    /// (std.TaskSupervisor: Elixir's max_restarts / max_seconds); its description applies it
    /// to `supervisor`, origin Explicit. Empty when not written.
    std::optional<Resolved<Intensity>> givenIntensity;
    std::vector<std::unique_ptr<Node>> children;
    /// Dynamic supervisors and C++ supervisors with a `kind` parameter (std.Pool): the
    /// template their children are made from. A dynamic supervisor's children are started
    /// from it at run time; a standard component's are among `children` (or its parts').
    std::unique_ptr<Node> templ;

    bool isRoot() const { return parent == nullptr && !isTemplate; }
    /// The C++-backed kind (worker declarations), else null.
    const ir::WorkerDecl* workerDecl() const {
        return llvm::dyn_cast_or_null<ir::WorkerDecl>(decl);
    }
    ir::StdKind stdKind() const { return workerDecl() ? workerDecl()->stdKind : ir::StdKind::None; }
    /// The declaration's qualified name ("std.Registry"), or the part's ("std.Pool.dispatcher").
    std::string_view declName() const;
    /// A supervisor whose settings the spec gives (a `supervisor`, `application` or
    /// `dynamic_supervisor`), as opposed to a standard component's.
    bool isDeclaredSupervisor() const { return supervisor && decl && !workerDecl(); }
    /// Child ids from the root, joined by '/': "services/cache" ("" for the root).
    std::string path() const;
    const NodeArg* arg(std::string_view paramName) const;
};

struct Tree {
    std::unique_ptr<Node> root;
    const ir::Program* program = nullptr;
    size_t nodeCount = 0;
};

} // namespace supc
