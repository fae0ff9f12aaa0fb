#include "supc/Tree.h"

#include <algorithm>

namespace supc {

std::string_view name(NodeKind k) {
    switch (k) {
    case NodeKind::Worker:
        return "worker";
    case NodeKind::Supervisor:
        return "supervisor";
    case NodeKind::DynamicSupervisor:
        return "dynamic_supervisor";
    }
    return "worker";
}

std::string_view Node::declName() const {
    if (decl)
        return decl->qualifiedName;
    return part ? part->name : std::string_view();
}

std::string Node::path() const {
    std::vector<const Node*> chain;
    for (const Node* n = this; n && n->parent; n = n->parent)
        chain.push_back(n);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (!out.empty())
            out += '/';
        out += (*it)->isTemplate ? std::string("<template>") : (*it)->id;
    }
    return out;
}

const NodeArg* Node::arg(std::string_view paramName) const {
    for (const auto& a : args)
        if (a.param && a.param->name == paramName)
            return &a;
    return nullptr;
}

} // namespace supc
