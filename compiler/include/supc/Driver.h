// What the subcommands of `supc` share: argument parsing, diagnostics set-up, exit codes.
// The subcommands themselves live in compiler/tools/supc/, one file each.
#pragma once

#include "supc/Checker.h"
#include "supc/DiagnosticEngine.h"
#include "supc/Elaborator.h"
#include "supc/Tree.h"

#include <functional>
#include <llvm/Support/SourceMgr.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace supc::driver {

/// Exit statuses (docs/cli.md).
enum ExitCode : int {
    ExitOk = 0,
    ExitFindings = 1,    // lint findings, failed simulation expectations
    ExitSpecError = 2,   // the spec has errors (or cannot be read)
    ExitUsage = 64,      // bad command line (EX_USAGE)
    ExitSoftware = 70,   // supc's own bug: an internal error (EX_SOFTWARE)
    ExitCantCreate = 73, // an output file cannot be written (EX_CANTCREAT)
};

/// A small command-line parser: `--name`, `--name=value`, `--name value`, `-x`, `--`,
/// and positional arguments (`-` alone is positional: standard input).
class ArgParser {
public:
    explicit ArgParser(std::string command) : command_(std::move(command)) {}
    void flag(std::string name, bool* out, std::string alias = "");
    void option(std::string name, std::string* out, std::string alias = "");
    /// An option whose value is optional: `--name` alone sets `implicit`, `--name=value`
    /// sets the value; it never takes the next argument (`--color spec.sup`).
    void optionalValue(std::string name, std::string* out, std::string implicit);
    /// An option that may be given several times; each value is appended.
    void repeated(std::string name, std::vector<std::string>* out);
    /// Parses `args`; on a usage error prints it to `err` and returns false.
    bool parse(const std::vector<std::string>& args, std::vector<std::string>& positionals,
               llvm::raw_ostream& err) const;

private:
    struct Spec {
        std::string name, alias;
        bool* flag = nullptr;
        std::string* value = nullptr;
        std::vector<std::string>* values = nullptr;
        std::optional<std::string> implicit; // optionalValue: the value of `--name` alone
    };
    std::string command_;
    std::vector<Spec> specs_;
};

/// Options every checking command takes.
struct CommonOptions {
    std::string stdlib;           // --stdlib DIR
    std::string color = "auto";   // --color[=auto|always|never] (`--color` alone: always)
    std::string errorLimit = "";  // --error-limit N (0: no limit)
    std::string format = "human"; // --format=human|json|github (diagnostics)
    void addTo(ArgParser& parser);
    /// Only --color (commands whose other options differ).
    void addColorTo(ArgParser& parser);
};

/// Whether human output to `err` gets colours: `--color=always` yes, `never` no; `auto`
/// when `err` is a terminal (that is not TERM=dumb) and NO_COLOR is absent or empty
/// (https://no-color.org). Returns nullopt for another value.
std::optional<bool> useColors(const std::string& color, llvm::raw_ostream& err);

/// clang's closing line for human output: "2 warnings and 1 error generated." on `err`,
/// nothing when nothing was reported.
void printSummary(llvm::raw_ostream& err, const DiagnosticEngine& diag);

/// Prints "supc CMD: error: MESSAGE" and a pointer to the command's help; returns ExitUsage.
int usageError(llvm::raw_ostream& err, std::string_view command, const std::string& message);

/// One run of a checking command: the SourceMgr, the diagnostics engine and its printer.
class Session {
public:
    /// Returns null (after printing a usage error) when the options are invalid.
    /// `printer`, when given, receives the diagnostics (in source order) instead of the
    /// printer `options.format` names: commands with formats of their own (lint's SARIF).
    static std::unique_ptr<Session> create(const CommonOptions& options, std::string_view command,
                                           const char* argv0, llvm::raw_ostream& err,
                                           std::unique_ptr<DiagnosticConsumer> printer = nullptr);

    llvm::SourceMgr& sourceMgr() { return sm_; }
    DiagnosticEngine& diag() { return *diag_; }
    const CheckOptions& checkOptions() const { return checkOptions_; }

    /// Checks one file (see checkFile).
    std::unique_ptr<ir::Program> check(const std::string& path);

    /// Loads another input of the command (a sim script, a .supc-lint file) into the
    /// SourceMgr, so that its problems are diagnostics like the spec's: read with the
    /// input limit (InputFile.h); E001 or E004 reported, and nothing returned, when it
    /// cannot be. Returns its buffer.
    std::optional<unsigned> load(const std::string& path);

    /// A checked program and the trees of its default roots.
    struct Checked {
        std::unique_ptr<ir::Program> program; // null when the file could not be read or scanned
        ProgramTrees trees;                   // elaborateAll(*program, diag, env)
        /// Nothing was reported about this file: the program and all its trees are complete.
        bool clean = false;
    };
    /// What `check`, `compile` and `lint` do with each file: check it, then elaborate its
    /// default roots with `env` (see elaborateAll), so that errors that depend on values
    /// are found too.
    Checked checkAndElaborate(const std::string& path, const Environment& env);

    /// A checked program and the tree elaborated from one of its roots (the tree points
    /// into the program, which it outlives only as long as this holds both).
    struct Elaborated {
        std::unique_ptr<ir::Program> program;
        std::unique_ptr<Tree> tree;
    };
    /// What the one-tree commands (dump, graph, sim, impact) start with: checks `path`,
    /// selects the root `root` names (the entry file's only application when empty; see
    /// selectRoot) and elaborates it with the real environment. `tree` is null when an
    /// error was reported.
    Elaborated elaborateRoot(const std::string& path, const std::string& root);
    /// Prints what was reported about the current file (in source order).
    void endFile();
    /// Ends reporting (JSON printers write here); ExitSpecError if any error, else ExitOk.
    int finish();

private:
    Session() = default;
    llvm::SourceMgr sm_;
    std::unique_ptr<SortingDiagnosticConsumer> consumer_;
    std::unique_ptr<DiagnosticEngine> diag_;
    CheckOptions checkOptions_;
};

} // namespace supc::driver
