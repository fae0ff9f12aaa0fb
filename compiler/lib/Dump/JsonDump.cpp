#include "supc/Dump.h"
#include "supc/TextEscape.h"

#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace supc {

namespace {

using llvm::json::OStream;

void rawValue(OStream& j, const Value& v);

void kindValue(OStream& j, const KindValue& k) {
    j.object([&] {
        j.attribute("decl", k.decl->qualifiedName);
        if (auto* w = llvm::dyn_cast<ir::WorkerDecl>(k.decl))
            j.attribute("type", w->cppType);
        j.attributeObject("args", [&] {
            for (const auto& p : k.decl->params) {
                if (!k.args[p.index])
                    continue;
                j.attributeBegin(p.name);
                rawValue(j, *k.args[p.index]);
                j.attributeEnd();
            }
        });
        j.attributeArray("start_args", [&] {
            for (const auto& p : k.decl->params)
                if (!k.args[p.index])
                    j.value(p.name);
        });
    });
}

// A value without its type: numbers, strings, enumerator names, arrays, kind objects.
void rawValue(OStream& j, const Value& v) {
    if (v.isError() || v.isNone()) {
        j.value(nullptr);
        return;
    }
    switch (v.type()->kind()) {
    case TypeKind::Int:
    case TypeKind::Duration:
        j.value(v.asInt());
        return;
    case TypeKind::Decimal:
        j.value(v.asDecimal());
        return;
    case TypeKind::String:
        // A string from env() is the environment's bytes: JSON output is valid UTF-8.
        j.value(toValidUtf8(v.asString()));
        return;
    case TypeKind::Bool:
        j.value(v.asBool());
        return;
    case TypeKind::Enum:
        j.value(v.enumName());
        return;
    case TypeKind::List:
        j.array([&] {
            for (const auto& e : v.asList())
                rawValue(j, e);
        });
        return;
    case TypeKind::Kind:
        kindValue(j, v.asKind());
        return;
    case TypeKind::Optional:
    case TypeKind::Error:
        j.value(nullptr);
        return;
    }
}

void shutdownValue(OStream& j, const Shutdown& s) {
    switch (s.mode) {
    case Shutdown::Mode::BrutalKill:
        j.value("brutal_kill");
        return;
    case Shutdown::Mode::Infinity:
        j.value("infinity");
        return;
    case Shutdown::Mode::Timeout:
        j.value(s.milliseconds);
        return;
    }
}

void node(OStream& j, const Node& n) {
    j.object([&] {
        if (n.isTemplate)
            j.attribute("id", nullptr);
        else
            j.attribute("id", n.id);
        j.attribute("kind", std::string(name(n.kind)));
        if (!n.isRoot())
            j.attribute("decl", std::string(n.declName()));
        if (const ir::WorkerDecl* w = n.workerDecl()) {
            j.attribute("type", w->cppType);
            j.attribute("header", w->header);
        } else if (n.part && !n.part->cppType.empty()) {
            j.attribute("type", std::string(n.part->cppType));
            j.attribute("header", std::string(n.part->header));
        }
        if (!n.isRoot()) {
            j.attribute("restart", std::string(name(n.restart.value)));
            j.attributeBegin("shutdown");
            shutdownValue(j, n.shutdown.value);
            j.attributeEnd();
            j.attribute("significant", n.significant.value);
            j.attributeArray("needs", [&] {
                for (const auto& need : n.needs)
                    j.value(need.id);
            });
        }
        if (!n.isRoot() || !n.args.empty()) {
            j.attributeObject("args", [&] {
                for (const auto& a : n.args) {
                    j.attributeObject(a.param->name, [&] {
                        j.attribute("type", a.param->type->str());
                        j.attributeBegin("value");
                        rawValue(j, a.value);
                        j.attributeEnd();
                    });
                }
            });
        }
        if (n.isTemplate)
            j.attributeArray("start_args", [&] {
                for (const auto* p : n.startArgs)
                    j.value(p->name);
            });
        if (const SupervisorSettings* s = n.supervisor.get()) {
            j.attribute("strategy", std::string(name(s->strategy.value)));
            j.attribute("intensity", s->intensity.value.restarts);
            j.attribute("period_ms", s->intensity.value.periodMs);
            j.attribute("auto_shutdown", std::string(name(s->autoShutdown.value)));
            if (!s->backoff.value.exponential) {
                j.attribute("backoff", nullptr);
            } else {
                j.attributeObject("backoff", [&] {
                    j.attribute("kind", "exponential");
                    j.attribute("min_ms", s->backoff.value.minMs);
                    j.attribute("max_ms", s->backoff.value.maxMs);
                    j.attribute("jitter", s->backoff.value.jitter);
                });
            }
            if (n.kind == NodeKind::DynamicSupervisor) {
                if (s->maxChildren.value)
                    j.attribute("max_children", *s->maxChildren.value);
                else
                    j.attribute("max_children", nullptr);
            }
        }
        if (n.templ) {
            j.attributeBegin("template");
            node(j, *n.templ);
            j.attributeEnd();
        }
        if (n.kind != NodeKind::Worker)
            j.attributeArray("children", [&] {
                for (const auto& c : n.children)
                    node(j, *c);
            });
    });
}

} // namespace

void dumpTreeJson(const Tree& tree, llvm::raw_ostream& os) {
    OStream j(os, 2);
    node(j, *tree.root);
    os << "\n";
    os.flush();
}

} // namespace supc
