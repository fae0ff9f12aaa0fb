#include "supc/Elaborator.h"

#include "Names.h"
#include "StdComponents.h"
#include "supc/EditDistance.h"
#include "supc/EffectiveSettings.h"
#include "supc/Evaluator.h"
#include "supc/Limits.h"
#include "supc/SettingsCheck.h"

#include <functional>
#include <llvm/Support/Casting.h>
#include <unordered_map>
#include <unordered_set>

namespace supc {

using llvm::cast;
using llvm::dyn_cast;
using llvm::dyn_cast_or_null;
using llvm::isa;

namespace {

NodeKind nodeKindOf(const ir::KindDecl* d) {
    if (isa<ir::DynamicSupervisorDecl>(d))
        return NodeKind::DynamicSupervisor;
    if (isa<ir::SupervisorDecl>(d))
        return NodeKind::Supervisor;
    auto* w = cast<ir::WorkerDecl>(d);
    return w->childType == ChildType::Supervisor ? NodeKind::Supervisor : NodeKind::Worker;
}

// Whether a node of this kind is expanded (its children, template, or program's process).
bool hasContents(const Node& n, const ir::KindDecl* d) {
    if (n.kind != NodeKind::Worker)
        return true;
    auto* w = dyn_cast<ir::WorkerDecl>(d);
    return w && w->isProgram;
}

// An environment variable's text read as a value of the env() default's type.
std::optional<Value> parseEnvValue(const std::string& text, const Type* type) {
    auto digits = [](std::string_view s, int64_t& out) {
        if (s.empty() || s.front() == '_' || s.back() == '_')
            return false;
        uint64_t v = 0;
        for (char c : s) {
            if (c == '_')
                continue;
            if (c < '0' || c > '9')
                return false;
            if (v > (uint64_t(INT64_MAX) - uint64_t(c - '0')) / 10)
                return false;
            v = v * 10 + uint64_t(c - '0');
        }
        out = int64_t(v);
        return true;
    };
    std::string_view s = text;
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n'))
        s.remove_suffix(1);
    switch (type->kind()) {
    case TypeKind::String:
        return Value::makeString(text);
    case TypeKind::Bool:
        if (s == "true")
            return Value::makeBool(true);
        if (s == "false")
            return Value::makeBool(false);
        return std::nullopt;
    case TypeKind::Int: {
        bool negative = !s.empty() && s.front() == '-';
        if (negative)
            s.remove_prefix(1);
        int64_t v = 0;
        if (!digits(s, v))
            return std::nullopt;
        return Value::makeInt(negative ? -v : v);
    }
    case TypeKind::Duration: {
        size_t i = 0;
        while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            ++i;
        int64_t v = 0;
        if (!digits(s.substr(0, i), v))
            return std::nullopt;
        std::string_view unit = s.substr(i);
        int64_t factor = unit == "ms"  ? 1
                         : unit == "s" ? 1000
                         : unit == "m" ? 60'000
                         : unit == "h" ? 3'600'000
                                       : 0;
        if (!factor || v > limits::kMaxDurationMs / factor)
            return std::nullopt;
        return Value::makeDuration(v * factor);
    }
    default:
        return std::nullopt;
    }
}

struct Frame {
    const std::vector<std::optional<Value>>* params = nullptr;
    std::vector<std::pair<const ir::Loop*, int64_t>> loops;
};

// Thrown to abandon elaboration once a limit is hit or too many errors are reported.
struct Abandon {};

class Elaborator {
public:
    Elaborator(const ir::Program& program, DiagnosticEngine& diag, const Environment& env)
        : program_(program), diag_(diag), env_(env) {}

    std::unique_ptr<Tree> run(const ir::KindDecl& root);
    /// What can be trusted below a tainted declaration (see elaborateTrusted).
    void below(const ir::KindDecl& decl, std::unordered_set<const ir::Decl*>& visited);

private:
    EvalContext context(const Frame& f) {
        EvalContext ctx;
        ctx.params = f.params;
        ctx.loops = &f.loops;
        ctx.constant = [this](const ir::ConstDecl& c) { return constValue(c); };
        ctx.schedulers = [this] { return std::optional<int64_t>(env_.schedulers()); };
        return ctx;
    }
    std::optional<Value> eval(const ir::Expr* e, const Frame& f) {
        if (!e)
            return std::nullopt;
        return evaluate(*e, context(f), &diag_);
    }
    std::optional<Value> constValue(const ir::ConstDecl& c);

    std::unique_ptr<Node> makeNode(const KindValue& kv, Node* parent, const ir::ChildDecl* child,
                                   bool isTemplate);
    void expand(Node& node, const KindValue& kv, unsigned depth);
    void supervisorSettings(Node& node, const ir::KindDecl& decl, const Frame& f);
    template <class T>
    void writtenSetting(Resolved<T>& out, const ir::Setting& s, SettingOrigin origin,
                        const Frame& f, bool dynamic, const Node& node);
    void childSettings(Node& node, const KindValue& kv, const ir::ChildDecl* child,
                       const Frame& parentFrame);
    void expandItems(Node& node, const std::vector<ir::BodyItemPtr>& items, Frame& f,
                     unsigned depth, std::unordered_map<std::string, const Node*>& ids,
                     std::vector<const ir::Loop*>& emptyLoops);
    void addChild(Node& node, const ir::ChildDecl& child, Frame& f, unsigned depth,
                  std::unordered_map<std::string, const Node*>& ids);
    void checkNeeds(Node& node);
    void checkSignificant(const Node& child, const Node& supervisor);
    std::unique_ptr<Node> makeTemplate(const KindValue& kv, Node& owner, unsigned depth);
    void expandComponent(Node& node, const ir::WorkerDecl& w, const KindValue& kv, unsigned depth);
    void programSpec(Node& node, const ir::WorkerDecl& w, const Frame& f);
    std::optional<std::string> programText(const ir::IdTemplate& t, const Node& node,
                                           const Frame& f);
    friend class ComponentExpansion;
    std::optional<std::string> interpolate(const ir::IdTemplate& t, const Frame& f,
                                           std::string_view role);
    void count(SourceRange where) {
        if (++nodes_ > limits::kMaxTreeNodes) {
            diag_
                .error(ErrorCode::E004, where, "the tree has more than {} nodes",
                       limits::kMaxTreeNodes)
                .note("a loop probably runs over a far larger range than intended");
            throw Abandon{};
        }
        if (diag_.limitReached())
            throw Abandon{};
    }

    const ir::Program& program_;
    DiagnosticEngine& diag_;
    const Environment& env_;
    std::unordered_map<const ir::ConstDecl*, std::optional<Value>> consts_;
    uint64_t nodes_ = 0;
};

std::optional<Value> Elaborator::constValue(const ir::ConstDecl& c) {
    if (auto it = consts_.find(&c); it != consts_.end())
        return it->second;
    std::optional<Value> v;
    if (!c.dependsOnStartup) {
        v = c.value;
    } else if (c.isEnv) {
        v = c.value; // the default
        if (auto text = env_.get(c.envVar)) {
            v = parseEnvValue(*text, c.type);
            if (!v) {
                auto b = diag_.error(ErrorCode::E034, c.nameRange,
                                     "environment variable '{}' is '{}', which is not {}", c.envVar,
                                     *text, c.type->describe());
                b.note(fmt::format("const '{}' takes its type from the default of env()", c.name));
                if (c.type->kind() == TypeKind::Duration)
                    b.note(fmt::format("a duration is a whole number and a unit (ms, s, m or h), "
                                       "at most {}",
                                       limits::kMaxDurationText));
            }
        }
    } else if (c.init) {
        Frame none;
        v = evaluate(*c.init, context(none), &diag_);
    }
    consts_[&c] = v;
    return v;
}

std::unique_ptr<Tree> Elaborator::run(const ir::KindDecl& root) {
    auto tree = std::make_unique<Tree>();
    tree->program = &program_;
    unsigned errorsBefore = diag_.errorCount();
    try {
        Frame none;
        KindValue kv = bindKindArguments(root, {}, {}, context(none), &diag_);
        tree->root = makeNode(kv, nullptr, nullptr, false);
        tree->root->id = root.name;
        count(root.nameRange);
        expand(*tree->root, kv, 0);
    } catch (const Abandon&) {
        return nullptr;
    }
    tree->nodeCount = size_t(nodes_);
    if (diag_.errorCount() == errorsBefore)
        elab::checkNames(*tree->root, diag_);
    if (diag_.errorCount() != errorsBefore)
        return nullptr;
    return tree;
}

std::unique_ptr<Node> Elaborator::makeNode(const KindValue& kv, Node* parent,
                                           const ir::ChildDecl* child, bool isTemplate) {
    auto node = std::make_unique<Node>();
    node->decl = kv.decl;
    node->kind = nodeKindOf(kv.decl);
    node->parent = parent;
    node->childDecl = child;
    node->isTemplate = isTemplate;
    const auto* instance = child ? dyn_cast<ir::KindInstanceExpr>(child->kind.get()) : nullptr;
    node->args.reserve(kv.decl->params.size());
    for (const auto& p : kv.decl->params) {
        if (!kv.args[p.index]) {
            node->startArgs.push_back(&p);
            continue;
        }
        NodeArg a;
        a.param = &p;
        a.value = *kv.args[p.index];
        a.explicitArg = kv.explicitArgs[p.index];
        if (instance)
            if (const ir::ArgBinding* b = instance->find(&p))
                a.range = b->range;
        node->args.push_back(std::move(a));
    }
    return node;
}

void Elaborator::expand(Node& node, const KindValue& kv, unsigned depth) {
    if (depth > limits::kMaxTreeDepth) {
        diag_.error(ErrorCode::E004, node.childDecl ? node.childDecl->kindRange : SourceRange(),
                    "the supervision tree is deeper than {} levels", limits::kMaxTreeDepth);
        throw Abandon{};
    }
    Frame f;
    f.params = &kv.args;
    if (auto* sup = dyn_cast<ir::SupervisorDecl>(kv.decl)) {
        supervisorSettings(node, *sup, f);
        std::unordered_map<std::string, const Node*> ids;
        std::vector<const ir::Loop*> emptyLoops;
        expandItems(node, sup->body, f, depth, ids, emptyLoops);
        checkNeeds(node);
        for (const auto& c : node.children)
            checkSignificant(*c, node);
        if (node.children.empty() && !emptyLoops.empty()) {
            const ir::Loop* loop = emptyLoops.front();
            auto from = eval(loop->from.get(), f);
            auto to = eval(loop->to.get(), f);
            auto b = diag_.error(ErrorCode::E023, loop->boundsRange,
                                 "loop 'for {} in {}..{}' runs zero times, leaving {} '{}' "
                                 "without children",
                                 loop->var, from ? from->str() : "?", to ? to->str() : "?",
                                 sup->kindName(), sup->name);
            b.note("a loop A..B runs for each integer from A to B inclusive, and not at all when "
                   "B < A");
            if (node.childDecl)
                b.note(fmt::format("'{}' is instantiated here", sup->name),
                       node.childDecl->kindRange);
        }
    } else if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(kv.decl)) {
        supervisorSettings(node, *dyn, f);
        if (auto templ = eval(dyn->templ.get(), f); templ && !templ->isError())
            node.templ = makeTemplate(templ->asKind(), node, depth + 1);
        if (node.templ)
            checkSignificant(*node.templ, node);
    } else if (auto* w = dyn_cast<ir::WorkerDecl>(kv.decl)) {
        if (w->isProgram)
            programSpec(node, *w, f);
        if (const ir::Param* p = w->templateParam(); p && w->childType == ChildType::Supervisor)
            if (const auto& v = kv.args[p->index]; v && !v->isError() && !v->isNone())
                node.templ = makeTemplate(v->asKind(), node, depth + 1);
        if (w->stdKind == ir::StdKind::Pool && node.templ && node.templ->workerDecl() &&
            node.templ->workerDecl()->isProgram) {
            const NodeArg* of = node.arg("of");
            auto b = diag_.error(ErrorCode::E046,
                                 of && of->explicitArg ? of->range
                                 : node.childDecl      ? node.childDecl->kindRange
                                                       : SourceRange(),
                                 "std.Pool cannot pool program '{}'",
                                 node.templ->workerDecl()->qualifiedName);
            b.note("its dispatcher calls its workers as actors; supervise processes with a "
                   "supervisor, a dynamic_supervisor or std.PartitionSupervisor");
            return;
        }
        if (w->stdKind != ir::StdKind::None)
            expandComponent(node, *w, kv, depth);
    }
}

// What a standard component's description (StdComponents.cpp) builds with: nodes added
// below `component_`, with the component's settings, counted against the tree's limits.
class ComponentExpansion final : public elab::ComponentBuilder {
public:
    ComponentExpansion(Elaborator& e, Node& component, const ir::WorkerDecl& decl,
                       const KindValue& kv, unsigned depth)
        : e_(e), component_(component), decl_(decl), kv_(kv), depth_(depth) {}

    bool failed = false;

    Node& node() override { return component_; }
    std::optional<int64_t> intArg(std::string_view param) const override {
        const NodeArg* a = component_.arg(param);
        if (!a || a->value.isNone() || a->value.isError())
            return std::nullopt;
        return a->value.asInt();
    }
    const Value* arg(std::string_view param) const override {
        const NodeArg* a = component_.arg(param);
        if (!a || a->value.isNone() || a->value.isError())
            return nullptr;
        return &a->value;
    }
    int64_t schedulers() const override { return e_.env_.schedulers(); }
    void badArgument(std::string_view param, std::string message) override {
        const NodeArg* a = component_.arg(param);
        SourceRange at = a && a->range.isValid() ? a->range : site();
        e_.diag_.error(ErrorCode::E032, at, "{}", message);
        failed = true;
    }
    void expect(uint64_t nodes) override {
        if (nodes > limits::kMaxTreeNodes || e_.nodes_ + nodes > limits::kMaxTreeNodes) {
            e_.diag_
                .error(ErrorCode::E004, site(), "the tree has more than {} nodes",
                       limits::kMaxTreeNodes)
                .note(fmt::format("{} builds {} nodes of its own", decl_.qualifiedName, nodes));
            throw Abandon{};
        }
    }
    void supervise(Node& n, NodeKind kind, Strategy strategy, Intensity intensity,
                   std::optional<int64_t> maxChildren) override {
        n.kind = kind;
        auto s = std::make_unique<SupervisorSettings>();
        forEachSupervisorSetting([&](const auto& row) {
            (*s).*row.field = {row.byDefault(ChildType::Supervisor), SettingOrigin::Component,
                               nullptr};
        });
        s->strategy.value = strategy;
        s->intensity.value = intensity;
        if (&n == &component_ && component_.givenIntensity)
            s->intensity = *component_.givenIntensity;
        s->maxChildren.value = maxChildren;
        n.supervisor = std::move(s);
    }
    Node& addPart(Node& parent, std::string id, const ComponentPart& part, NodeKind kind,
                  RestartType restart, Shutdown shutdown) override {
        e_.count(site());
        parent.children.push_back(makePart(parent, part, kind, restart, shutdown));
        Node& n = *parent.children.back();
        n.id = std::move(id);
        return n;
    }
    Node& templatePart(Node& parent, const ComponentPart& part, RestartType restart,
                       Shutdown shutdown) override {
        e_.count(site());
        parent.templ = makePart(parent, part, NodeKind::Worker, restart, shutdown);
        parent.templ->isTemplate = true;
        return *parent.templ;
    }
    void addFromTemplate(Node& parent, std::string id, int64_t index) override {
        const Node* templ = component_.templ.get();
        if (!templ || failed)
            return;
        const KindValue& of = templateValue();
        KindValue kv = of;
        for (const ir::Param* p : templ->startArgs) {
            if (templ->startArgs.size() == 1 && p->type->kind() == TypeKind::Int) {
                kv.args[p->index] = Value::makeInt(index);
                continue;
            }
            // The component starts each child with its index only (index_args).
            e_.diag_
                .error(ErrorCode::E018, site(),
                       "missing argument '{}' for '{}': {} starts each child with nothing "
                       "but its index, passed to the one int parameter it leaves open",
                       p->name, of.decl->qualifiedName, decl_.qualifiedName)
                .note(fmt::format("'{}' is declared here, without a default", p->name), p->range);
            failed = true;
            return;
        }
        e_.count(site());
        auto c = e_.makeNode(kv, &parent, nullptr, false);
        c->id = std::move(id);
        c->component = &component_;
        static_cast<ChildSettings&>(*c) = *templ;
        // A name from the template's open int parameter: this child's, with its index.
        if (templ->startArgs.size() == 1) {
            std::string open = "{" + templ->startArgs[0]->name + "}";
            for (std::string* s : {&c->name.value.name, &c->name.value.registry})
                for (size_t at = s->find(open); at != std::string::npos; at = s->find(open, at))
                    s->replace(at, open.size(), std::to_string(index));
        }
        Node* raw = c.get();
        parent.children.push_back(std::move(c));
        if (hasContents(*raw, kv.decl))
            e_.expand(*raw, kv, depth_ + 2);
    }

private:
    SourceRange site() const {
        return component_.childDecl ? component_.childDecl->kindRange : decl_.nameRange;
    }
    const KindValue& templateValue() const {
        return kv_.args[decl_.templateParam()->index]->asKind();
    }
    std::unique_ptr<Node> makePart(Node& parent, const ComponentPart& part, NodeKind kind,
                                   RestartType restart, Shutdown shutdown) {
        auto n = std::make_unique<Node>();
        n->kind = kind;
        n->part = &part;
        n->parent = &parent;
        n->component = &component_;
        ChildType type = kind == NodeKind::Worker ? ChildType::Worker : ChildType::Supervisor;
        forEachChildSetting([&](const auto& row) {
            (*n).*row.field = {row.byDefault(type), SettingOrigin::Component, nullptr};
        });
        n->restart.value = restart;
        n->shutdown.value = shutdown;
        return n;
    }

    Elaborator& e_;
    Node& component_;
    const ir::WorkerDecl& decl_;
    const KindValue& kv_;
    unsigned depth_;
};

void Elaborator::expandComponent(Node& node, const ir::WorkerDecl& w, const KindValue& kv,
                                 unsigned depth) {
    ComponentExpansion x(*this, node, w, kv, depth);
    elab::expandComponent(w.stdKind, x);
}

// The first parameter `e` refers to that `kv` leaves open (a start argument), if any.
const ir::Param* openParam(const ir::Expr* e, const KindValue& kv) {
    if (!e)
        return nullptr;
    switch (e->kind()) {
    case ir::Expr::Kind::ParamRef: {
        const ir::Param* p = cast<ir::ParamRefExpr>(e)->param;
        return p->index < kv.args.size() && !kv.args[p->index] ? p : nullptr;
    }
    case ir::Expr::Kind::Negate:
        return openParam(cast<ir::NegateExpr>(e)->operand.get(), kv);
    case ir::Expr::Kind::Binary: {
        const auto* b = cast<ir::BinaryExpr>(e);
        const ir::Param* p = openParam(b->lhs.get(), kv);
        return p ? p : openParam(b->rhs.get(), kv);
    }
    default:
        return nullptr;
    }
}

// Where `owner`'s template is written: a dynamic supervisor's `of`, a C++ supervisor's
// `kind` argument.
SourceRange templateSite(const Node& owner) {
    if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(owner.decl))
        return dyn->templRange;
    if (const ir::WorkerDecl* w = owner.workerDecl())
        if (const ir::Param* p = w->templateParam())
            if (const NodeArg* a = owner.arg(p->name); a && a->range.isValid())
                return a->range;
    return owner.childDecl ? owner.childDecl->range : owner.decl->nameRange;
}

// A setting that is not written takes the value EffectiveSettings gives it.
template <class T>
Resolved<T> unwritten(const EffectiveSetting<T>& e) {
    return {e.value, e.origin, nullptr};
}

// A setting's value from the values of its expressions (ir::Setting's value, period,
// jitter), one function per value type of the settings table.
bool settingValue(const ir::Setting&, const SettingValues& v, bool*) {
    return v.value->asBool();
}
Shutdown settingValue(const ir::Setting& s, const SettingValues& v, Shutdown*) {
    if (s.shutdownMode != Shutdown::Mode::Timeout)
        return {s.shutdownMode, 0};
    return {Shutdown::Mode::Timeout, v.value->asMilliseconds()};
}
Intensity settingValue(const ir::Setting&, const SettingValues& v, Intensity*) {
    return {v.value->asInt(), v.period->asMilliseconds()};
}
Backoff settingValue(const ir::Setting& s, const SettingValues& v, Backoff*) {
    if (!s.exponential)
        return {};
    return {true, v.value->asMilliseconds(), v.period->asMilliseconds(),
            v.jitter ? v.jitter->asDecimal() : 0.0};
}
std::optional<int64_t> settingValue(const ir::Setting&, const SettingValues& v,
                                    std::optional<int64_t>*) {
    if (v.value->isNone())
        return std::nullopt;
    return v.value->asInt();
}
// `name`: its strings, interpolated (value: the name or key; period: the registry).
ChildName settingValue(const ir::Setting& s, const SettingValues& v, ChildName*) {
    ChildName n;
    n.mode = s.via ? ChildName::Mode::Via : ChildName::Mode::Local;
    n.name = v.value->asString();
    if (s.via)
        n.registry = v.period->asString();
    return n;
}
template <class T>
T settingValueOf(const ir::Setting& s, const SettingValues& v) {
    if constexpr (std::is_enum_v<T>)
        return T(v.value->enumIndex());
    else
        return settingValue(s, v, static_cast<T*>(nullptr));
}

// A written setting's value for one instance: its expressions evaluated in `f`, then
// checked (SettingInfo::check) and converted. Left as it was if one cannot be evaluated.
template <class T>
void Elaborator::writtenSetting(Resolved<T>& out, const ir::Setting& s, SettingOrigin origin,
                                const Frame& f, bool dynamic, const Node& node) {
    std::optional<Value> value, period, jitter;
    // A setting written as strings (`name`): interpolated, a template's start arguments kept
    // as `{param}`; the last string is the value, a first of two the `period` (the registry).
    auto text = [&](const ir::IdTemplate& t) -> std::optional<Value> {
        auto v = programText(t, node, f);
        return v ? std::optional<Value>(Value::makeString(*v)) : std::nullopt;
    };
    if (!s.strings.empty() && (!(value = text(s.strings.back())) ||
                               (s.strings.size() > 1 && !(period = text(s.strings[0])))))
        return;
    if ((s.value && !(value = eval(s.value.get(), f))) ||
        (s.period && !(period = eval(s.period.get(), f))) ||
        (s.jitter && !(jitter = eval(s.jitter.get(), f))))
        return;
    SettingValues v{value ? &*value : nullptr, period ? &*period : nullptr,
                    jitter ? &*jitter : nullptr, dynamic};
    out = {settingValueOf<T>(s, v), origin, &s};
    if (const SettingCheck check = info(s.key).check)
        check(s, v, diag_);
}

void Elaborator::supervisorSettings(Node& node, const ir::KindDecl& decl, const Frame& f) {
    auto s = std::make_unique<SupervisorSettings>();
    bool dynamic = isa<ir::DynamicSupervisorDecl>(decl);
    forEachSupervisorSetting([&](const auto& row) {
        const auto effective = effectiveSupervisorSetting(row, decl);
        auto& out = (*s).*row.field;
        out = unwritten(effective);
        if (effective.setting)
            writtenSetting(out, *effective.setting, effective.origin, f, dynamic, node);
    });
    node.supervisor = std::move(s);
}

void Elaborator::childSettings(Node& node, const KindValue& kv, const ir::ChildDecl* child,
                               const Frame& parentFrame) {
    Frame kindFrame;
    kindFrame.params = &kv.args;
    const ir::SettingList* own = child ? &child->settings : nullptr;

    // A template's settings are fixed when it is made: none may depend on a start argument.
    if (!child) {
        const ir::Setting* open = nullptr;
        const ir::Param* p = nullptr;
        forEachChildSetting([&](const auto& row) {
            const ir::Setting* s = effectiveChildSetting(row, own, kv.decl).setting;
            if (!p && s && (p = openParam(s->value.get(), kv)))
                open = s;
        });
        if (p) {
            auto b = diag_.error(ErrorCode::E042, open->range,
                                 "'{}' of '{}' depends on '{}', which each child of the "
                                 "template is started with",
                                 info(open->key).name, kv.decl->qualifiedName, p->name);
            if (node.parent)
                b.note(fmt::format("'{}' is the template of '{}' here", kv.decl->qualifiedName,
                                   node.parent->decl->qualifiedName),
                       templateSite(*node.parent));
            b.note(fmt::format("bind '{}' in the template: {}({} = ...)", p->name,
                               kv.decl->qualifiedName, p->name));
            return;
        }
    }

    // A written setting is evaluated in the child's scope (its own block) or in the kind's
    // (the worker declaration's block, with the kind's arguments).
    forEachChildSetting([&](const auto& row) {
        const auto effective = effectiveChildSetting(row, own, kv.decl);
        auto& out = node.*row.field;
        out = unwritten(effective);
        if (effective.setting)
            writtenSetting(out, *effective.setting, effective.origin,
                           effective.origin == SettingOrigin::KindDefault ? kindFrame : parentFrame,
                           false, node);
    });

    // `intensity` in the block of a std.TaskSupervisor child (Sema allows it nowhere else on
    // a child): the component's description applies it.
    if (child)
        if (const ir::Setting* s = child->settings.find(SettingKey::Intensity)) {
            Resolved<Intensity> given;
            writtenSetting(given, *s, SettingOrigin::Explicit, parentFrame, true, node);
            if (given.setting)
                node.givenIntensity = given;
        }

    if (child)
        if (const ir::Setting* s = child->settings.find(SettingKey::Needs)) {
            node.needsSetting = s;
            for (const auto& t : s->needs)
                if (auto id = interpolate(t, parentFrame, "'needs' entry"))
                    node.needs.push_back({*id, t.range, nullptr});
        }
}

std::optional<std::string> Elaborator::programText(const ir::IdTemplate& t, const Node& node,
                                                   const Frame& f) {
    if (t.isPlain())
        return t.plainText();
    std::string out;
    for (const auto& part : t.parts) {
        if (!part.expr) {
            out += part.text;
            continue;
        }
        // A template's parameter left open: supplied by each start.
        if (auto* p = dyn_cast<ir::ParamRefExpr>(part.expr.get());
            p && node.isTemplate && !(*f.params)[p->param->index]) {
            out += "{" + p->param->name + "}";
            continue;
        }
        auto v = eval(part.expr.get(), f);
        if (!v)
            return std::nullopt;
        auto text = v->interpolationText();
        if (!text)
            return std::nullopt;
        out += *text;
    }
    return out;
}

// A program's settings for one node (ProgramSpec), each checked with its values; a value
// computed from the node's arguments is reported where the child is declared.
void Elaborator::programSpec(Node& node, const ir::WorkerDecl& w, const Frame& f) {
    auto p = std::make_unique<ProgramSpec>();
    auto at = [&](const ir::IdTemplate& t) {
        return !t.isPlain() && node.childDecl ? node.childDecl->kindRange : t.range;
    };
    if (auto c = programText(w.command, node, f)) {
        p->command = *c;
        settings::checkCommand(*c, at(w.command), diag_);
    }
    std::unordered_map<std::string, SourceRange> set;
    std::vector<SourceRange> unsetAt; // of each of p->unsetEnv
    for (const ir::Setting& s : w.settings.settings) {
        // An enumerated setting: the value's index is the enum's.
        auto setEnum = [&](auto& field) {
            if (auto v = eval(s.value.get(), f); v && !v->isError())
                field = static_cast<std::decay_t<decltype(field)>>(v->enumIndex());
        };
        switch (s.key) {
        case SettingKey::Args:
            for (const auto& t : s.strings)
                if (auto v = programText(t, node, f))
                    p->args.push_back(*v);
            break;
        case SettingKey::Env:
            for (const auto& t : s.strings) {
                auto v = programText(t, node, f);
                std::string_view name;
                if (!v || !settings::checkEnvEntry(*v, at(t), name, diag_))
                    continue;
                std::string n(name);
                if (auto [it, fresh] = set.emplace(n, t.range); !fresh) {
                    diag_.error(ErrorCode::E046, at(t), "'{}' is set twice in 'env'", n)
                        .note("it is first set here", it->second);
                    continue;
                }
                p->env.emplace_back(n, v->substr(n.size() + 1));
            }
            break;
        case SettingKey::UnsetEnv:
            for (const auto& t : s.strings)
                if (auto v = programText(t, node, f);
                    v && settings::checkEnvName(*v, at(t), "'unset_env'", diag_)) {
                    p->unsetEnv.push_back(*v);
                    unsetAt.push_back(at(t));
                }
            break;
        case SettingKey::WorkingDir:
        case SettingKey::OutputFile:
            if (s.strings.empty())
                break;
            if (auto v = programText(s.strings[0], node, f);
                v && settings::checkProgramString(s.key, *v, at(s.strings[0]), diag_))
                (s.key == SettingKey::WorkingDir ? p->workingDir : p->outputFile) = *v;
            break;
        case SettingKey::InheritEnv:
            if (auto v = eval(s.value.get(), f); v && !v->isError())
                p->inheritEnv = v->asBool();
            break;
        case SettingKey::StopSignal:
            if (auto v = eval(s.value.get(), f); v && !v->isError()) {
                settings::checkStopSignal(s, {&*v}, diag_);
                p->stopSignal = v->enumName();
                p->stopSignalNumber = signalNumber(p->stopSignal);
            }
            break;
        case SettingKey::Readiness:
            setEnum(p->readiness);
            break;
        case SettingKey::NotifySocket:
            setEnum(p->notifySocket);
            break;
        case SettingKey::Output:
            setEnum(p->output);
            break;
        case SettingKey::Containment:
            setEnum(p->containment);
            break;
        case SettingKey::StartTimeout:
            if (s.shutdownMode == Shutdown::Mode::Infinity) {
                p->startTimeoutMs.reset();
            } else if (auto v = eval(s.value.get(), f); v && !v->isError()) {
                settings::checkStartTimeout(s, {&*v}, diag_);
                p->startTimeoutMs = v->asMilliseconds();
            }
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < p->unsetEnv.size(); ++i)
        if (auto it = set.find(p->unsetEnv[i]); it != set.end())
            diag_
                .error(ErrorCode::E046, unsetAt[i],
                       "'{}' is both set in 'env' and removed by 'unset_env'", p->unsetEnv[i])
                .note("it is set here", it->second);
    if (!p->outputFile.empty() && p->output != OutputMode::Log) {
        const ir::Setting* file = w.settings.find(SettingKey::OutputFile);
        diag_
            .error(ErrorCode::E046, file->range, "'output_file' needs 'output = log', found '{}'",
                   name(p->output))
            .note("the file receives the lines captured for the log");
    }
    node.program = std::move(p);
}

std::optional<std::string> Elaborator::interpolate(const ir::IdTemplate& t, const Frame& f,
                                                   std::string_view role) {
    if (t.isPlain())
        return t.plainText();
    std::string out;
    for (const auto& part : t.parts) {
        if (!part.expr) {
            out += part.text;
            continue;
        }
        auto v = eval(part.expr.get(), f);
        if (!v)
            return std::nullopt;
        auto text = v->interpolationText();
        if (!text)
            return std::nullopt;
        out += *text;
    }
    if (!settings::checkChildId(out, t.range, role, diag_))
        return std::nullopt;
    return out;
}

void Elaborator::expandItems(Node& node, const std::vector<ir::BodyItemPtr>& items, Frame& f,
                             unsigned depth, std::unordered_map<std::string, const Node*>& ids,
                             std::vector<const ir::Loop*>& emptyLoops) {
    for (const auto& item : items) {
        if (auto* child = dyn_cast<ir::ChildDecl>(item.get())) {
            addChild(node, *child, f, depth, ids);
            continue;
        }
        const auto& loop = cast<ir::Loop>(*item);
        auto from = eval(loop.from.get(), f);
        auto to = eval(loop.to.get(), f);
        if (!from || !to)
            continue;
        int64_t a = from->asInt(), b = to->asInt();
        if (b < a) {
            emptyLoops.push_back(&loop);
            continue;
        }
        if (uint64_t(b) - uint64_t(a) >= limits::kMaxTreeNodes) {
            diag_.error(ErrorCode::E004, loop.boundsRange,
                        "loop 'for {} in {}..{}' would create more than {} nodes", loop.var, a, b,
                        limits::kMaxTreeNodes);
            throw Abandon{};
        }
        if (node.children.capacity() < node.children.size() + size_t(b - a + 1) &&
            loop.body.size() == 1)
            node.children.reserve(node.children.size() + size_t(b - a + 1));
        f.loops.push_back({&loop, a});
        for (int64_t i = a;; ++i) {
            f.loops.back().second = i;
            expandItems(node, loop.body, f, depth, ids, emptyLoops);
            if (i == b)
                break;
        }
        f.loops.pop_back();
    }
}

void Elaborator::addChild(Node& node, const ir::ChildDecl& child, Frame& f, unsigned depth,
                          std::unordered_map<std::string, const Node*>& ids) {
    count(child.range);
    auto id = interpolate(child.id, f, "child id");
    auto kindValue = eval(child.kind.get(), f);
    if (!id || !kindValue || kindValue->isError())
        return;
    const KindValue& kv = kindValue->asKind();
    for (const auto& p : kv.decl->params) {
        if (kv.args[p.index])
            continue;
        diag_
            .error(ErrorCode::E018, child.kindRange, "missing argument '{}' for '{}'", p.name,
                   kv.decl->qualifiedName)
            .note(fmt::format("'{}' is declared here, without a default", p.name), p.range);
        return;
    }
    auto c = makeNode(kv, &node, &child, false);
    c->id = std::move(*id);
    childSettings(*c, kv, &child, f);
    auto [it, inserted] = ids.try_emplace(c->id, c.get());
    if (!inserted) {
        auto b = diag_.error(ErrorCode::E020, child.id.range, "duplicate child id '{}' in '{}'",
                             c->id, node.decl->name);
        const ir::ChildDecl* first = it->second->childDecl;
        if (first && first != &child)
            b.note(fmt::format("'{}' is first used here", c->id), first->id.range);
        else
            b.note("this id repeats across iterations of the loop: interpolate the loop variable");
        return;
    }
    Node* raw = c.get();
    node.children.push_back(std::move(c));
    if (hasContents(*raw, kv.decl))
        expand(*raw, kv, depth + 1);
}

std::unique_ptr<Node> Elaborator::makeTemplate(const KindValue& kv, Node& owner, unsigned depth) {
    count(owner.decl->nameRange);
    auto t = makeNode(kv, &owner, nullptr, true);
    childSettings(*t, kv, nullptr, Frame());
    // A supervisor template whose parameters are all known can be shown in full.
    // A program template's strings keep `{name}` for what each start supplies.
    if (hasContents(*t, kv.decl) && (t->startArgs.empty() || t->kind == NodeKind::Worker))
        expand(*t, kv, depth);
    return t;
}

void Elaborator::checkNeeds(Node& node) {
    std::unordered_map<std::string_view, size_t> index;
    NameIndex siblings; // for "did you mean"
    index.reserve(node.children.size());
    for (size_t i = 0; i < node.children.size(); ++i)
        index.emplace(node.children[i]->id, i);
    for (size_t k = 0; k < node.children.size(); ++k) {
        Node& c = *node.children[k];
        for (auto& need : c.needs) {
            auto it = index.find(need.id);
            if (it != index.end() && it->second < k) {
                need.target = node.children[it->second].get();
                continue;
            }
            if (it != index.end()) {
                if (diag_.alreadyReported(ErrorCode::E028, need.range))
                    continue;
                const Node& later = *node.children[it->second];
                bool self = it->second == k;
                auto b = diag_.error(ErrorCode::E028, need.range,
                                     self ? fmt::format("child '{}' needs itself", c.id)
                                          : fmt::format("child '{}' needs '{}', which starts "
                                                        "after it",
                                                        c.id, need.id));
                if (!self && later.childDecl)
                    b.note(fmt::format("children start in the order they are declared; '{}' is "
                                       "declared here",
                                       need.id),
                           later.childDecl->id.range);
                continue;
            }
            if (diag_.alreadyReported(ErrorCode::E027, need.range))
                continue;
            if (siblings.empty()) // built once, at the first unknown need
                for (const auto& sibling : node.children)
                    siblings.add(sibling->id);
            auto b = diag_.error(ErrorCode::E027, need.range,
                                 "child '{}' needs '{}', which is not a child of '{}'", c.id,
                                 need.id, node.decl->name);
            // Among the siblings started before it: those it can need.
            if (auto guess =
                    diag_.allowSuggestion() ? siblings.closest(need.id, k) : std::nullopt) {
                b.note(fmt::format("did you mean '{}'?", *guess));
                b.fixIt(need.range, *guess);
            }
        }
    }
}

void Elaborator::checkSignificant(const Node& child, const Node& supervisor) {
    if (!child.significant.value || !supervisor.supervisor)
        return;
    SourceRange at = child.significant.range();
    if (child.restart.value == RestartType::Permanent) {
        auto b = diag_.error(ErrorCode::E025, at,
                             "child '{}' is significant, but its restart type is permanent",
                             child.isTemplate ? "template" : child.id);
        if (child.restart.setting)
            b.note("its restart type is set here", child.restart.range());
        else
            b.note("permanent is the default restart type; make it transient or temporary");
    }
    const auto& auto_ = supervisor.supervisor->autoShutdown;
    if (auto_.value == AutoShutdown::Never) {
        auto b = diag_.error(ErrorCode::E026, at,
                             "child '{}' is significant, but '{}' has auto_shutdown = never",
                             child.isTemplate ? "template" : child.id, supervisor.decl->name);
        if (auto_.setting)
            b.note("auto_shutdown is set here", auto_.range());
        else
            b.note(fmt::format("auto_shutdown defaults to never: set it to any_significant or "
                               "all_significant in '{}'",
                               supervisor.decl->name),
                   supervisor.decl->nameRange);
    }
}

// Whether `e` can be evaluated without trusting a failed declaration; collects the
// tainted supervisors it names (what to look below instead).
bool trusted(const ir::Expr* e, std::vector<const ir::KindDecl*>& taintedKinds) {
    if (!e)
        return false;
    switch (e->kind()) {
    case ir::Expr::Kind::Error:
        return false;
    case ir::Expr::Kind::ConstRef:
        return !cast<ir::ConstRefExpr>(e)->decl->tainted;
    case ir::Expr::Kind::List: {
        bool ok = true;
        for (const auto& x : cast<ir::ListExpr>(e)->elements)
            ok &= trusted(x.get(), taintedKinds);
        return ok;
    }
    case ir::Expr::Kind::Negate:
        return trusted(cast<ir::NegateExpr>(e)->operand.get(), taintedKinds);
    case ir::Expr::Kind::Binary: {
        const auto* b = cast<ir::BinaryExpr>(e);
        bool l = trusted(b->lhs.get(), taintedKinds);
        return trusted(b->rhs.get(), taintedKinds) && l;
    }
    case ir::Expr::Kind::KindInstance: {
        const auto* k = cast<ir::KindInstanceExpr>(e);
        bool ok = !k->decl->tainted;
        if (!ok)
            taintedKinds.push_back(k->decl);
        for (const auto& a : k->args)
            ok &= trusted(a.value.get(), taintedKinds);
        return ok;
    }
    default:
        return true;
    }
}

void Elaborator::below(const ir::KindDecl& decl, std::unordered_set<const ir::Decl*>& visited) {
    if (decl.dropped || !visited.insert(&decl).second)
        return;
    std::vector<const ir::KindDecl*> taintedKinds;
    auto child = [&](const ir::ChildDecl& c) {
        taintedKinds.clear();
        if (trusted(c.kind.get(), taintedKinds) && !c.failed) {
            // Its kind and arguments are constants that elaborate the same wherever the
            // child is: a tree of its own reports what the whole tree would about it.
            Frame none;
            auto v = eval(c.kind.get(), none);
            if (!v || v->isError() || v->type()->kind() != TypeKind::Kind)
                return;
            const KindValue& kv = v->asKind();
            for (const auto& arg : kv.args)
                if (!arg)
                    return; // an argument that depends on the supervisor's parameters
            auto root = makeNode(kv, nullptr, &c, false);
            root->id = c.id.isPlain() ? c.id.plainText() : kv.decl->name;
            count(c.kindRange);
            expand(*root, kv, 0);
            return;
        }
        std::vector<const ir::KindDecl*> kinds = taintedKinds;
        for (const ir::KindDecl* k : kinds)
            below(*k, visited);
    };
    std::function<void(const std::vector<ir::BodyItemPtr>&)> items =
        [&](const std::vector<ir::BodyItemPtr>& body) {
            for (const auto& item : body) {
                if (auto* c = dyn_cast<ir::ChildDecl>(item.get()))
                    child(*c);
                else if (auto* l = dyn_cast<ir::Loop>(item.get()))
                    items(l->body);
            }
        };
    if (auto* sup = dyn_cast<ir::SupervisorDecl>(&decl)) {
        items(sup->body);
    } else if (auto* dyn = dyn_cast<ir::DynamicSupervisorDecl>(&decl)) {
        trusted(dyn->templ.get(), taintedKinds);
        std::vector<const ir::KindDecl*> kinds = taintedKinds;
        for (const ir::KindDecl* k : kinds)
            below(*k, visited);
    }
}

} // namespace

std::unique_ptr<Tree> elaborate(const ir::Program& program, const ir::KindDecl& root,
                                DiagnosticEngine& diag, const Environment& env) {
    return Elaborator(program, diag, env).run(root);
}

void elaborateTrusted(const ir::Program& program, const std::vector<const ir::KindDecl*>& roots,
                      DiagnosticEngine& diag, const Environment& env) {
    Elaborator e(program, diag, env);
    std::unordered_set<const ir::Decl*> visited;
    try {
        for (const ir::KindDecl* root : roots)
            e.below(*root, visited);
    } catch (const Abandon&) {
        // a limit: nothing more is shown
    }
}

} // namespace supc
