// Registered names across one tree (Names.h): one pass in start order (depth first, children
// in order; a dynamic supervisor's template and what is below it are started at run time).
#include "Names.h"

#include "supc/EditDistance.h"

#include <fmt/format.h>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace supc::elab {

namespace {

struct Use {
    const Node* node = nullptr;
    SourceRange at;
    size_t order = 0;
};

struct Registry {
    Use use;
    bool unique = true;
};

// Where a node's name is given: its own setting, else the child that takes it from its kind
// (or the standard component that made it).
SourceRange nameSite(const Node& n) {
    if (n.name.origin == SettingOrigin::Explicit && n.name.setting)
        return n.name.setting->valueRange;
    if (n.childDecl)
        return n.childDecl->range;
    if (n.component && n.component->childDecl)
        return n.component->childDecl->range;
    return n.name.range();
}

std::string shown(const Node& n) {
    std::string p = n.path();
    return p.empty() ? n.id : p;
}

class NameCheck {
public:
    explicit NameCheck(DiagnosticEngine& diag) : diag_(diag) {}

    void run(const Node& root) {
        // Depth first in start order; a node below a dynamic supervisor's template is started
        // at run time (any number of times): `dynamic`.
        std::vector<std::pair<const Node*, bool>> stack{{&root, false}};
        while (!stack.empty()) {
            auto [n, dynamic] = stack.back();
            stack.pop_back();
            visit(*n, dynamic, order_++);
            if (n->templ)
                stack.push_back({n->templ.get(), true});
            for (auto it = n->children.rbegin(); it != n->children.rend(); ++it)
                stack.push_back({it->get(), dynamic});
        }
        for (const auto& [via, dynamic] : vias_)
            checkRegistry(*via.node, via, dynamic);
    }

private:
    void visit(const Node& n, bool dynamic, size_t order) {
        bool inTemplate = dynamic || n.isTemplate;
        const ChildName& name = n.name.value;
        // A standard component's template makes its children (they are in the tree): only
        // what a dynamic supervisor starts at run time is `dynamic`.
        bool componentTemplate = n.isTemplate && n.component;
        if ((n.stdKind() == ir::StdKind::Registry || n.stdKind() == ir::StdKind::TaskSupervisor) &&
            !inTemplate)
            component(n, order);
        if (name.mode == ChildName::Mode::None || componentTemplate)
            return;
        Use use{&n, nameSite(n), order};
        if (name.mode == ChildName::Mode::Via) {
            vias_.push_back({use, inTemplate});
            if (!inTemplate)
                unique(viaNames_, name.registry + '\n' + name.name, use,
                       fmt::format("via-name '{}' in '{}'", name.name, name.registry));
            return;
        }
        if (!inTemplate)
            unique(localNames_, name.name, use, fmt::format("name '{}'", name.name));
    }

    // A std.Registry or std.TaskSupervisor: its `name` argument registers it (in the runtime,
    // as a name setting would); a registry is named by that argument or its own setting.
    void component(const Node& n, size_t order) {
        const NodeArg* arg = n.arg("name");
        bool hasArg = arg && !arg->value.isNone() && !arg->value.isError() &&
                      arg->value.type()->kind() == TypeKind::String;
        const ChildName& own = n.name.value;
        if (hasArg && own.mode == ChildName::Mode::Local) {
            diag_
                .error(ErrorCode::E049, nameSite(n),
                       "'{}' would be registered under two names, '{}' (its 'name' argument) "
                       "and '{}'",
                       shown(n), arg->value.asString(), own.name)
                .note("an actor has one registered name: give it one of them");
            return;
        }
        if (n.stdKind() != ir::StdKind::Registry) {
            if (hasArg)
                unique(localNames_, arg->value.asString(),
                       {&n, arg->range.isValid() ? arg->range : nameSite(n), order},
                       fmt::format("name '{}'", arg->value.asString()));
            return;
        }
        const NodeArg* keys = n.arg("keys");
        bool isUnique = !keys || keys->value.isError() || keys->value.enumName() == "unique";
        if (hasArg) {
            SourceRange at = arg->range.isValid() ? arg->range : nameSite(n);
            Use use{&n, at, order};
            unique(localNames_, arg->value.asString(), use,
                   fmt::format("name '{}'", arg->value.asString()));
            registries_.emplace(arg->value.asString(), Registry{use, isUnique});
        } else if (own.mode == ChildName::Mode::Local) {
            registries_.emplace(own.name, Registry{{&n, nameSite(n), order}, isUnique});
        }
    }

    void unique(std::map<std::string, Use>& seen, const std::string& key, const Use& use,
                const std::string& what) {
        auto [it, fresh] = seen.emplace(key, use);
        if (fresh)
            return;
        diag_
            .error(ErrorCode::E049, use.at, "{} is registered twice in this tree: by '{}' and '{}'",
                   what, shown(*it->second.node), shown(*use.node))
            .note(fmt::format("'{}' registers it first, here", shown(*it->second.node)),
                  it->second.at);
    }

    void checkRegistry(const Node& n, const Use& use, bool dynamic) {
        const ChildName& name = n.name.value;
        // A registry named by a start argument is found, or not, when the child starts.
        if (name.registry.find('{') != std::string::npos)
            return;
        auto it = registries_.find(name.registry);
        if (it == registries_.end()) {
            auto b =
                diag_.error(ErrorCode::E050, use.at,
                            "no std.Registry of this tree is registered as '{}'", name.registry);
            std::vector<std::string> known;
            for (const auto& [k, r] : registries_)
                known.push_back(k);
            if (auto guess = closestMatch(name.registry, known))
                b.note(fmt::format("did you mean '{}'?", *guess));
            b.note(fmt::format("a via-name's registry is a std.Registry child of the same tree "
                               "registered as '{}': std.Registry(name = \"{}\")",
                               name.registry, name.registry));
            return;
        }
        const Registry& r = it->second;
        if (!r.unique) {
            diag_
                .error(ErrorCode::E050, use.at,
                       "'{}' is a std.Registry with duplicate keys: a via-name needs unique keys",
                       name.registry)
                .note(fmt::format("'{}' is started here", shown(*r.use.node)), r.use.at);
            return;
        }
        if (!dynamic && r.use.order > use.order)
            diag_
                .error(ErrorCode::E050, use.at,
                       "'{}' registers a via-name in '{}' before its init, but that registry "
                       "starts after it",
                       shown(n), name.registry)
                .note(fmt::format("'{}' is started here: start it before '{}'", shown(*r.use.node),
                                  shown(n)),
                      r.use.at);
    }

    DiagnosticEngine& diag_;
    size_t order_ = 0;
    std::map<std::string, Use> localNames_, viaNames_;
    std::map<std::string, Registry> registries_;
    std::vector<std::pair<Use, bool>> vias_;
};

} // namespace

void checkNames(const Node& root, DiagnosticEngine& diag) {
    NameCheck(diag).run(root);
}

} // namespace supc::elab
