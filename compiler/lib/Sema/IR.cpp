#include "supc/IR.h"

namespace supc::ir {

bool isValidChildId(std::string_view id) {
    if (id.empty())
        return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    return true;
}

char spelling(BinaryOp op) {
    switch (op) {
    case BinaryOp::Add:
        return '+';
    case BinaryOp::Sub:
        return '-';
    case BinaryOp::Mul:
        return '*';
    case BinaryOp::Div:
        return '/';
    case BinaryOp::Mod:
        return '%';
    }
    return '?';
}

const ArgBinding* KindInstanceExpr::find(const Param* p) const {
    for (const auto& a : args)
        if (a.param == p)
            return &a;
    return nullptr;
}

const Setting* SettingList::find(SettingKey key) const {
    for (const auto& s : settings)
        if (s.key == key)
            return &s;
    return nullptr;
}

std::string_view Decl::kindName() const {
    switch (kind_) {
    case Kind::Const:
        return "const";
    case Kind::Worker:
        return "worker kind";
    case Kind::Supervisor:
        return "supervisor";
    case Kind::DynamicSupervisor:
        return "dynamic supervisor";
    case Kind::Application:
        return "application";
    }
    return "declaration";
}

std::string_view name(StdKind k) {
    switch (k) {
    case StdKind::None:
        return "";
    case StdKind::Registry:
        return "Registry";
    case StdKind::TaskSupervisor:
        return "TaskSupervisor";
    case StdKind::PartitionSupervisor:
        return "PartitionSupervisor";
    case StdKind::Pool:
        return "Pool";
    }
    return "";
}

const Param* KindDecl::findParam(std::string_view n) const {
    for (const auto& p : params)
        if (p.name == n)
            return &p;
    return nullptr;
}

const Param* WorkerDecl::templateParam() const {
    for (const auto& p : params)
        if (p.type->kind() == TypeKind::Kind)
            return &p;
    return nullptr;
}

ChildType childTypeOf(const KindDecl& kind) {
    if (auto* w = llvm::dyn_cast<WorkerDecl>(&kind))
        return w->childType;
    return ChildType::Supervisor;
}

ParamBinding bindParam(const Param& param, const KindInstanceExpr* use) {
    ParamBinding b;
    if (use)
        if (const ArgBinding* a = use->find(&param)) {
            b.source = ParamBinding::Source::Given;
            b.expr = a->value.get();
            b.arg = a;
            return b;
        }
    if (param.defaultValue) {
        b.source = ParamBinding::Source::Default;
        b.expr = param.defaultValue.get();
    } else if (param.type->kind() == TypeKind::Optional) {
        b.source = ParamBinding::Source::Omitted;
    }
    return b;
}

const Decl* Module::find(std::string_view n) const {
    auto it = byName.find(n);
    return it == byName.end() ? nullptr : it->second;
}

} // namespace supc::ir
