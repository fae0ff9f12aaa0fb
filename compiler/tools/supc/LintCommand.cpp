#include "Command.h"
#include "supc/Driver.h"
#include "supc/TextEscape.h"
#include "supc/lint/Lint.h"
#include "supc/lint/Sarif.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <map>
#include <optional>
#include <set>

namespace supc::tool {

namespace {

// The configuration of each file: its .supc-lint (walking up from it), then the command
// line. A project file is read like any input (InputFile.h) and loaded into the session's
// SourceMgr, so that its problems are diagnostics like any other, with their place, in
// every format (JSON; SARIF's configuration notifications). They are usage errors.
bool configure(const std::vector<std::string>& files, const std::vector<std::string>& enable,
               const std::vector<std::string>& disable, bool werror, driver::Session& session,
               std::vector<lint::LintConfig>& out) {
    std::map<std::string, std::optional<unsigned>> loaded; // project file -> its buffer
    bool ok = true;
    for (const auto& file : files) {
        lint::LintConfig config;
        if (auto project = lint::findProjectFile(file)) {
            auto [it, firstTime] = loaded.try_emplace(*project);
            if (firstTime) {
                if (std::optional<unsigned> id = session.load(*project))
                    it->second = id;
                else
                    ok = false;
            }
            config.projectFile = *project;
            if (it->second) {
                // Each file is applied to each spec's configuration; its problems are
                // reported once.
                if (firstTime)
                    ok &= lint::applyProjectFile(config, *it->second, session.diag());
                else
                    lint::applyProjectFile(
                        config, session.sourceMgr().getMemoryBuffer(*it->second)->getBuffer());
            }
        }
        // The command line has the last word: --disable, then --enable, then --werror.
        for (const auto& list : disable)
            lint::applyRuleList(config, list, false);
        for (const auto& list : enable)
            lint::applyRuleList(config, list, true);
        config.werror |= werror;
        out.push_back(std::move(config));
    }
    return ok;
}

int runLint(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::vector<std::string> enable, disable;
    bool werror = false, rules = false, markdown = false;
    std::string sourceRoot;
    driver::ArgParser parser("lint");
    options.addTo(parser);
    parser.repeated("--enable", &enable);
    parser.repeated("--disable", &disable);
    parser.flag("--werror", &werror);
    parser.flag("--rules", &rules);
    parser.flag("--markdown", &markdown);
    parser.option("--source-root", &sourceRoot);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;

    if (rules) {
        if (!files.empty())
            return driver::usageError(llvm::errs(), "lint", "--rules takes no files");
        llvm::outs() << (markdown ? lint::renderRulesMarkdown() : lint::renderRulesList());
        return driver::ExitOk;
    }
    if (markdown)
        return driver::usageError(llvm::errs(), "lint", "--markdown goes with --rules");
    if (files.empty())
        return driver::usageError(llvm::errs(), "lint", "no input files");
    bool sarif = options.format == "sarif";
    if (options.format != "human" && options.format != "json" && options.format != "github" &&
        !sarif)
        return driver::usageError(llvm::errs(), "lint",
                                  "--format takes human, json, github or sarif, not '" +
                                      options.format + "'");
    for (const auto& [lists, flag] :
         {std::pair{&enable, "--enable"}, std::pair{&disable, "--disable"}})
        for (const auto& list : *lists) {
            lint::LintConfig scratch;
            std::string error = lint::applyRuleList(scratch, list, true);
            if (!error.empty())
                return driver::usageError(llvm::errs(), "lint", std::string(flag) + ": " + error);
        }

    if (!sourceRoot.empty() && !sarif)
        return driver::usageError(llvm::errs(), "lint", "--source-root goes with --format=sarif");
    lint::SarifOptions sarifOptions;
    if (sarif) {
        options.format = "human"; // validated above; the SARIF printer replaces it
        if (sourceRoot.empty()) {
            sarifOptions.sourceRoot = lint::defaultSourceRoot();
        } else {
            llvm::SmallString<256> root(sourceRoot);
            llvm::sys::fs::make_absolute(root);
            llvm::sys::path::remove_dots(root, /*remove_dot_dot=*/true);
            if (!llvm::sys::fs::is_directory(root))
                return driver::usageError(llvm::errs(), "lint",
                                          "--source-root '" + sourceRoot + "' is not a directory");
            sarifOptions.sourceRoot = root.str().str();
        }
    }
    auto session = driver::Session::create(
        options, "lint", ctx.argv0, llvm::errs(),
        sarif ? std::make_unique<lint::SarifPrinter>(llvm::outs(), sarifOptions) : nullptr);
    if (!session)
        return driver::ExitUsage;

    std::vector<lint::LintConfig> configs;
    if (!configure(files, enable, disable, werror, *session, configs)) {
        session->finish();
        llvm::errs() << "supc lint: error: fix the lint configuration (docs/lint.md)\n";
        llvm::errs().flush();
        return driver::ExitUsage;
    }

    std::set<std::string> reported;
    for (const auto& file : files)
        reported.insert(canonicalSpecPath(file));
    lint::Linter linter(std::move(reported));
    linter.keepSuppressed(sarif); // SARIF lists them, marked as suppressed in the source
    bool specErrors = false;
    for (size_t i = 0; i < files.size(); ++i) {
        if (session->diag().limitReached())
            break;
        // env() at its defaults: lint judges the spec as shipped (see Environment::defaults).
        driver::Session::Checked checked =
            session->checkAndElaborate(files[i], Environment::defaults());
        if (!checked.clean) {
            specErrors = true;
            continue;
        }
        std::vector<const Tree*> trees;
        for (const auto& t : checked.trees.trees)
            trees.push_back(t.get());
        linter.lintTrees(*checked.program, trees, session->diag(), configs[i]);
    }
    linter.finish(session->diag());
    session->finish();
    if (options.format == "human" && !sarif)
        driver::printSummary(llvm::errs(), session->diag());
    if (specErrors)
        return driver::ExitSpecError;
    return linter.errorFindings() ? driver::ExitFindings : driver::ExitOk;
}

} // namespace

const Command kLintCommand = {
    "lint",
    "warn about specs that check but probably do not do what was meant",
    "supc lint FILE... [--format=human|json|github|sarif] [--enable=RULES] [--disable=RULES] "
    "[--werror]\n"
    "       supc lint --rules [--markdown]",
    "Checks each spec as `supc check` does, then runs the lint rules (docs/lint.md) over\n"
    "every application of each FILE (or, in a file without applications, each supervisor\n"
    "nothing else uses). A finding points at the setting to change, or at the child or\n"
    "declaration when the value is a default; one finding covers every instance of a\n"
    "declaration. Only findings located in the FILEs named are reported: those inside\n"
    "imported files (the stdlib) are not. env() consts take their defaults.\n"
    "`supc explain L0xx` explains a rule; FILE '-' reads standard input.\n\n"
    "options:\n"
    "  --format=human|json|github|sarif\n"
    "                              human (default): clang-style on stderr; json: the array\n"
    "                              of `supc check --format=json` on stdout; github: GitHub\n"
    "                              Actions annotations on stdout; sarif: SARIF 2.1.0 on\n"
    "                              stdout, for code-scanning services (docs/ci.md)\n"
    "  --enable=RULES, --disable=RULES\n"
    "                              comma-separated rule ids or names (L002, flat-tree);\n"
    "                              may be repeated\n"
    "  --source-root DIR           with sarif: artifact URIs relative to DIR (uriBaseId\n"
    "                              SRCROOT); default: the git working tree holding the\n"
    "                              current directory, else the current directory\n"
    "  --werror                    report every finding as an error (exit status 1)\n"
    "  --rules                     list the rules (--markdown: docs/lint.md's rules section)\n"
    "  --stdlib DIR, --color[=WHEN], --error-limit N   as for `supc check`\n\n"
    "configuration: the first .supc-lint found walking up from each FILE's directory, with\n"
    "`key = value` lines and # comments: enable = L001, L007 / disable = naming /\n"
    "werror = true / L010.severity = error / L001.max_children = 12 / L009.max_shutdown = 2m.\n"
    "The command line overrides it.\n\n"
    "suppressions: `// supc:allow(L002): reason` on the line of the finding, or alone on the\n"
    "line before it. One without a reason, naming an unknown rule or suppressing nothing is\n"
    "reported as L000.\n\n"
    "exit status: 0 no finding at error severity, 1 findings at error severity (any with\n"
    "--werror), 2 a spec does not check, 64 usage or configuration error\n",
    runLint,
};

} // namespace supc::tool
