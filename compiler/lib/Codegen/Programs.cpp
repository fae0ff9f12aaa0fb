// Programs (`worker W = program "cmd" { ... }`): a child of a program kind is
// sup::process(id, spec), its sup::ProcessSpec built from the declaration's command and
// settings with the kind's arguments (docs/codegen.md, "Programs").
#include "CppNames.h"
#include "Generator.h"

#include <fmt/format.h>

namespace supc::codegen {

using llvm::dyn_cast;

namespace {

// An enumerated program setting: `sup::Readiness::notify` when written literally, else the
// enumerator whose name the std::string expression holds (a parameter of an enum type).
std::string enumCode(const ir::Expr& e, const Code& code, std::string_view cppEnum,
                     const Type* settingType) {
    if (auto* lit = dyn_cast<ir::LiteralExpr>(&e); lit && !lit->value.isError())
        return fmt::format("sup::{}::{}", cppEnum, lit->value.enumName());
    const auto& names = settingType->enumerators();
    std::string out = fmt::format("sup::{}::{}", cppEnum, names.front());
    for (size_t i = names.size(); i-- > 1;)
        out = fmt::format("({} == \"{}\" ? sup::{}::{} : {})", code.text, names[i], cppEnum,
                          names[i], out);
    return out;
}

} // namespace

std::string Generator::processSpecCode(const ir::WorkerDecl& worker, const BoundKind& bound) {
    const Scope& s = bound.scope;
    auto text = [&](const ir::IdTemplate& t) { return required(idCode(t, s), nullptr).text; };
    auto value = [&](const ir::Setting& st, const Type* type) {
        return required(expr(*st.value, s, type), &st);
    };
    std::vector<std::string> lines;
    lines.push_back("sup::ProcessSpec p(" + text(worker.command) + ");  // " +
                    where(worker.command.range));
    // Every field is written: from the declaration, else the language's default.
    std::string inheritEnv = "true", workingDir, stopSignal = "SIGTERM";
    std::string readiness = "sup::Readiness::exec", notifySocket = "sup::NotifySocket::path";
    std::string startTimeout = durationLiteral(defaults::startTimeoutMs, literals_);
    std::string output = "sup::OutputMode::log", outputFile,
                containment = "sup::Containment::automatic";
    for (const ir::Setting& st : worker.settings.settings) {
        std::string at = "  // " + where(st.range);
        switch (st.key) {
        case SettingKey::Args:
            for (const auto& t : st.strings)
                lines.push_back("p.args.push_back(" + text(t) + ");" + at);
            break;
        case SettingKey::Env:
            for (const auto& t : st.strings) {
                // NAME=value: split where written when the name is plain text.
                size_t eq = std::string::npos;
                if (!t.parts.empty() && !t.parts.front().expr)
                    eq = t.parts.front().text.find('=');
                if (eq != std::string::npos) {
                    std::string name = stringLiteral(t.parts.front().text.substr(0, eq));
                    // The value alone: the template without its leading "NAME=".
                    std::string v = required(idCode(t, s, eq + 1), nullptr).text;
                    lines.push_back(fmt::format("p.with_env({}, {});{}", name, v, at));
                } else {
                    lines.push_back("{");
                    lines.push_back("    std::string e = " + text(t) + ";" + at);
                    lines.push_back("    std::size_t eq = e.find('=');");
                    lines.push_back("    p.with_env(e.substr(0, eq), eq == std::string::npos ? "
                                    "std::string() : e.substr(eq + 1));");
                    lines.push_back("}");
                }
            }
            break;
        case SettingKey::UnsetEnv:
            for (const auto& t : st.strings)
                lines.push_back("p.without_env(" + text(t) + ");" + at);
            break;
        case SettingKey::InheritEnv:
            inheritEnv = value(st, Type::boolType()).text + ";" + at;
            break;
        case SettingKey::WorkingDir:
            if (!st.strings.empty())
                workingDir = text(st.strings[0]) + ";" + at;
            break;
        case SettingKey::OutputFile:
            if (!st.strings.empty())
                outputFile = text(st.strings[0]) + ";" + at;
            break;
        case SettingKey::StopSignal: {
            Code c = value(st, nullptr);
            if (auto* lit = dyn_cast<ir::LiteralExpr>(st.value.get()); lit && !lit->value.isError())
                stopSignal = std::string(lit->value.enumName());
            else
                stopSignal = "sup::signal_number(" + c.text + ").value_or(SIGTERM)";
            stopSignal += ";" + at;
            break;
        }
        case SettingKey::Readiness:
            readiness =
                enumCode(*st.value, value(st, nullptr), "Readiness", readinessType()) + ";" + at;
            break;
        case SettingKey::NotifySocket:
            notifySocket =
                enumCode(*st.value, value(st, nullptr), "NotifySocket", notifySocketType()) + ";" +
                at;
            break;
        case SettingKey::Output:
            output =
                enumCode(*st.value, value(st, nullptr), "OutputMode", outputModeType()) + ";" + at;
            break;
        case SettingKey::Containment:
            containment =
                enumCode(*st.value, value(st, nullptr), "Containment", containmentType()) + ";" +
                at;
            break;
        case SettingKey::StartTimeout:
            startTimeout = st.shutdownMode == Shutdown::Mode::Infinity
                               ? "std::chrono::nanoseconds::max()"
                               : value(st, Type::durationType()).text;
            startTimeout += ";" + at;
            break;
        default:
            break;
        }
    }
    auto withDefault = [](const std::string& v, const char* what) {
        return v.find(';') == std::string::npos ? v + ";  // " + what : v;
    };
    lines.push_back("p.inherit_env = " + withDefault(inheritEnv, "default"));
    if (!workingDir.empty())
        lines.push_back("p.working_dir = " + workingDir);
    lines.push_back("p.stop_signal = " + withDefault(stopSignal, "default"));
    lines.push_back("p.readiness = " + withDefault(readiness, "default"));
    lines.push_back("p.notify_socket = " + withDefault(notifySocket, "default"));
    lines.push_back("p.start_timeout = " + withDefault(startTimeout, "default"));
    lines.push_back("p.output.mode = " + withDefault(output, "default"));
    if (!outputFile.empty())
        lines.push_back("p.output.file = " + outputFile);
    lines.push_back("p.containment = " + withDefault(containment, "default"));
    lines.push_back("return p;");

    std::string out = "[&] {";
    for (const std::string& l : lines)
        out += "\n    " + l;
    return out + "\n}()";
}

} // namespace supc::codegen
