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
        if (auto* w = llvm::dyn_cast<ir::WorkerDecl>(k.decl); w && !w->isProgram)
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

// A setting's value, one function per value type of the settings table (SettingTable.h).
template <class E>
requires std::is_enum_v<E>
void settingValue(OStream& j, E v) {
    j.value(std::string(name(v)));
}
void settingValue(OStream& j, bool v) {
    j.value(v);
}
void settingValue(OStream& j, const Shutdown& s) {
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
void settingValue(OStream& j, const Backoff& b) {
    if (!b.exponential) {
        j.value(nullptr);
        return;
    }
    j.object([&] {
        j.attribute("kind", "exponential");
        j.attribute("min_ms", b.minMs);
        j.attribute("max_ms", b.maxMs);
        j.attribute("jitter", b.jitter);
    });
}
// null; {"kind": "local", "name": N}; {"kind": "via", "registry": R, "key": K}
void settingValue(OStream& j, const ChildName& n) {
    if (n.mode == ChildName::Mode::None) {
        j.value(nullptr);
        return;
    }
    j.object([&] {
        if (n.mode == ChildName::Mode::Local) {
            j.attribute("kind", "local");
            j.attribute("name", n.name);
        } else {
            j.attribute("kind", "via");
            j.attribute("registry", n.registry);
            j.attribute("key", n.name);
        }
    });
}
void settingValue(OStream& j, const std::optional<int64_t>& n) {
    if (n)
        j.value(*n);
    else
        j.value(nullptr);
}

// One setting's attribute (a value of two parts, intensity, is two attributes).
template <class Row>
void setting(OStream& j, const Row& row, const typename Row::ValueType& v) {
    if constexpr (std::is_same_v<typename Row::ValueType, Intensity>) {
        j.attribute(row.json, v.restarts);
        j.attribute(row.json2, v.periodMs);
    } else {
        j.attributeBegin(row.json);
        settingValue(j, v);
        j.attributeEnd();
    }
}

// A program's process: sup::ProcessSpec's fields, every default filled in.
void program(OStream& j, const ProgramSpec& p) {
    j.object([&] {
        j.attribute("command", p.command);
        j.attributeArray("args", [&] {
            for (const auto& a : p.args)
                j.value(a);
        });
        j.attribute("inherit_env", p.inheritEnv);
        j.attributeArray("env", [&] {
            for (const auto& [name, value] : p.env)
                j.array([&] {
                    j.value(name);
                    j.value(value);
                });
        });
        j.attributeArray("unset_env", [&] {
            for (const auto& n : p.unsetEnv)
                j.value(n);
        });
        if (p.workingDir.empty())
            j.attribute("working_dir", nullptr);
        else
            j.attribute("working_dir", p.workingDir);
        j.attribute("stop_signal", p.stopSignal);
        j.attribute("readiness", std::string(name(p.readiness)));
        j.attribute("notify_socket", std::string(name(p.notifySocket)));
        if (p.startTimeoutMs)
            j.attribute("start_timeout_ms", *p.startTimeoutMs);
        else
            j.attribute("start_timeout_ms", "infinity");
        j.attribute("output", std::string(name(p.output)));
        if (p.outputFile.empty())
            j.attribute("output_file", nullptr);
        else
            j.attribute("output_file", p.outputFile);
        j.attribute("containment", std::string(name(p.containment)));
    });
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
        if (n.program) {
            j.attributeBegin("program");
            program(j, *n.program);
            j.attributeEnd();
        } else if (const ir::WorkerDecl* w = n.workerDecl()) {
            j.attribute("type", w->cppType);
            j.attribute("header", w->header);
        } else if (n.part && !n.part->cppType.empty()) {
            j.attribute("type", std::string(n.part->cppType));
            j.attribute("header", std::string(n.part->header));
        }
        if (!n.isRoot()) {
            forEachChildSetting([&](const auto& row) { setting(j, row, (n.*row.field).value); });
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
            bool dynamic = n.kind == NodeKind::DynamicSupervisor;
            forEachSupervisorSetting([&](const auto& row) {
                if (appliesTo(row.info(), dynamic))
                    setting(j, row, ((*s).*row.field).value);
            });
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
