#include "supc/Driver.h"
#include "supc/EditDistance.h"
#include "supc/Elaborator.h"
#include "supc/InputFile.h"
#include "supc/TextEscape.h"

#include <charconv>
#include <cstdlib>
#include <llvm/Support/Process.h>
#include <llvm/Support/raw_ostream.h>

namespace supc::driver {

void ArgParser::flag(std::string name, bool* out, std::string alias) {
    specs_.push_back({std::move(name), std::move(alias), out, nullptr, nullptr, std::nullopt});
}

void ArgParser::option(std::string name, std::string* out, std::string alias) {
    specs_.push_back({std::move(name), std::move(alias), nullptr, out, nullptr, std::nullopt});
}

void ArgParser::optionalValue(std::string name, std::string* out, std::string implicit) {
    specs_.push_back({std::move(name), "", nullptr, out, nullptr, std::move(implicit)});
}

void ArgParser::repeated(std::string name, std::vector<std::string>* out) {
    specs_.push_back({std::move(name), "", nullptr, nullptr, out, std::nullopt});
}

bool ArgParser::parse(const std::vector<std::string>& args, std::vector<std::string>& positionals,
                      llvm::raw_ostream& err) const {
    bool onlyPositionals = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (onlyPositionals || a == "-" || a.empty() || a[0] != '-') {
            positionals.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositionals = true;
            continue;
        }
        std::string name = a, value;
        bool hasValue = false;
        if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
            name = a.substr(0, eq);
            value = a.substr(eq + 1);
            hasValue = true;
        }
        const Spec* spec = nullptr;
        for (const auto& s : specs_)
            if (s.name == name || (!s.alias.empty() && s.alias == name))
                spec = &s;
        if (!spec) {
            std::vector<std::string> known;
            for (const auto& s : specs_)
                known.push_back(s.name);
            std::string msg = "unknown option '" + name + "'";
            if (auto guess = closestMatch(name, known))
                msg += " (did you mean '" + *guess + "'?)";
            usageError(err, command_, msg);
            return false;
        }
        if (spec->flag) {
            if (hasValue) {
                usageError(err, command_, "option '" + name + "' takes no value");
                return false;
            }
            *spec->flag = true;
            continue;
        }
        if (!hasValue && spec->implicit) {
            value = *spec->implicit;
        } else if (!hasValue) {
            if (i + 1 >= args.size()) {
                usageError(err, command_, "option '" + name + "' needs a value");
                return false;
            }
            value = args[++i];
        }
        if (spec->values)
            spec->values->push_back(value);
        else
            *spec->value = value;
    }
    return true;
}

void CommonOptions::addTo(ArgParser& parser) {
    parser.option("--stdlib", &stdlib);
    addColorTo(parser);
    parser.option("--error-limit", &errorLimit);
    parser.option("--format", &format);
}

void CommonOptions::addColorTo(ArgParser& parser) {
    parser.optionalValue("--color", &color, "always");
}

std::optional<bool> useColors(const std::string& color, llvm::raw_ostream& err) {
    if (color == "always")
        return true;
    if (color == "never")
        return false;
    if (color != "auto")
        return std::nullopt;
    // no-color.org: NO_COLOR present and not empty turns colours off, whatever its value;
    // an explicit --color=always still wins (a command-line argument overrides it).
    if (const char* noColor = std::getenv("NO_COLOR"); noColor && *noColor)
        return false;
    return err.has_colors();
}

void printSummary(llvm::raw_ostream& err, const DiagnosticEngine& diag) {
    unsigned warnings = diag.warningCount(), errors = diag.errorCount();
    if (!warnings && !errors)
        return;
    auto plural = [](unsigned n, const char* what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    std::string summary = warnings && errors
                              ? plural(warnings, "warning") + " and " + plural(errors, "error")
                          : warnings ? plural(warnings, "warning")
                                     : plural(errors, "error");
    err << summary << " generated.\n";
    err.flush();
}

int usageError(llvm::raw_ostream& err, std::string_view command, const std::string& message) {
    err << "supc";
    if (!command.empty())
        err << " " << command;
    err << ": error: " << escapeForTerminal(message) << "\n";
    if (!command.empty())
        err << "run 'supc help " << command << "' for its usage\n";
    else
        err << "run 'supc --help' for the list of commands\n";
    err.flush();
    return ExitUsage;
}

std::unique_ptr<Session> Session::create(const CommonOptions& options, std::string_view command,
                                         const char* argv0, llvm::raw_ostream& err,
                                         std::unique_ptr<DiagnosticConsumer> printer) {
    std::unique_ptr<Session> s(new Session());
    std::optional<bool> colors = useColors(options.color, err);
    if (!colors) {
        usageError(err, command,
                   "--color takes auto, always or never, not '" + options.color + "'");
        return nullptr;
    }
    if (printer)
        s->consumer_ = std::make_unique<SortingDiagnosticConsumer>(std::move(printer));
    else if (options.format == "human")
        s->consumer_ = std::make_unique<SortingDiagnosticConsumer>(
            std::make_unique<TextDiagnosticPrinter>(err, *colors));
    else if (options.format == "json")
        s->consumer_ = std::make_unique<SortingDiagnosticConsumer>(
            std::make_unique<JsonDiagnosticPrinter>(llvm::outs()));
    else if (options.format == "github")
        s->consumer_ = std::make_unique<SortingDiagnosticConsumer>(
            std::make_unique<GithubDiagnosticPrinter>(llvm::outs()));
    else {
        usageError(err, command,
                   "--format takes human, json or github, not '" + options.format + "'");
        return nullptr;
    }
    s->diag_ = std::make_unique<DiagnosticEngine>(s->sm_, *s->consumer_);
    if (!options.errorLimit.empty()) {
        unsigned limit = 0;
        auto [p, ec] =
            std::from_chars(options.errorLimit.data(),
                            options.errorLimit.data() + options.errorLimit.size(), limit);
        if (ec != std::errc() || p != options.errorLimit.data() + options.errorLimit.size()) {
            usageError(err, command,
                       "--error-limit takes a number, not '" + options.errorLimit + "'");
            return nullptr;
        }
        s->diag_->setErrorLimit(limit);
    }
    s->checkOptions_.stdlibDir = findStdlibDir(options.stdlib, argv0);
    return s;
}

std::unique_ptr<ir::Program> Session::check(const std::string& path) {
    return checkFile(path, *diag_, checkOptions_);
}

std::optional<unsigned> Session::load(const std::string& path) {
    auto buffer = readInput(path, *diag_);
    if (!buffer)
        return std::nullopt;
    return sm_.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
}

Session::Checked Session::checkAndElaborate(const std::string& path, const Environment& env) {
    Checked out;
    unsigned before = diag_->errorCount();
    out.program = check(path);
    if (!out.program)
        return out;
    // Also after errors: the declarations they did not taint are elaborated, so that one
    // run reports the errors of every phase (docs/cli.md, "Several errors in one run").
    out.trees = elaborateAll(*out.program, *diag_, env);
    out.clean = out.trees.complete && diag_->errorCount() == before;
    return out;
}

Session::Elaborated Session::elaborateRoot(const std::string& path, const std::string& root) {
    Elaborated out;
    out.program = check(path);
    if (!out.program || diag_->hasErrors())
        return out;
    if (const ir::KindDecl* decl = selectRoot(*out.program, root, *diag_))
        out.tree = elaborate(*out.program, *decl, *diag_, Environment::real());
    return out;
}

void Session::endFile() {
    consumer_->flush(sm_);
}

int Session::finish() {
    diag_->finish();
    return diag_->hasErrors() ? ExitSpecError : ExitOk;
}

} // namespace supc::driver
