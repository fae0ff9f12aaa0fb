#include "Command.h"
#include "supc/Driver.h"
#include "supc/Elaborator.h"
#include "supc/Simulator.h"
#include "supc/TextEscape.h"

#include <algorithm>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <optional>

namespace supc::tool {

namespace {

// Script problems go through the session's diagnostics engine, located in the script's
// buffer (error: a line that cannot run; note: a remark such as lines left unrun).
class ScriptReporter {
public:
    ScriptReporter(driver::Session& session, unsigned buffer, std::string name)
        : session_(session), buffer_(buffer), name_(std::move(name)) {}

    void report(const sim::ScriptError& e, Severity severity) {
        SourceRange at;
        if (e.loc.line != 0) {
            llvm::SMLoc begin =
                session_.sourceMgr().FindLocForLineAndColumn(buffer_, e.loc.line, e.loc.column);
            if (begin.isValid()) {
                const char* end = begin.getPointer() + std::max<unsigned>(e.loc.length, 1);
                const char* bufferEnd =
                    session_.sourceMgr().getMemoryBuffer(buffer_)->getBufferEnd();
                at = SourceRange::fromPointers(begin.getPointer(), std::min(end, bufferEnd));
            }
        }
        auto b = session_.diag().report(severity, "", at, e.message);
        if (!at.isValid())
            b.file(name_);
    }

private:
    driver::Session& session_;
    unsigned buffer_;
    std::string name_;
};

int runSim(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::string root, scriptPath;
    driver::ArgParser parser("sim");
    parser.option("--root", &root);
    parser.option("--script", &scriptPath);
    options.addTo(parser);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "sim", "no input file");
    if (files.size() > 1)
        return driver::usageError(llvm::errs(), "sim", "sim takes one file");
    if (scriptPath.empty())
        return driver::usageError(llvm::errs(), "sim", "no script: give one with --script S");
    if (scriptPath == "-" && files[0] == "-")
        return driver::usageError(llvm::errs(), "sim",
                                  "the spec and the script cannot both come from standard input");
    if (options.format != "human" && options.format != "json")
        return driver::usageError(llvm::errs(), "sim",
                                  "--format takes human or json, not '" + options.format + "'");

    // Standard output carries the trace: JSON diagnostics go to standard error.
    auto session = driver::Session::create(
        options, "sim", ctx.argv0, llvm::errs(),
        options.format == "json" ? std::make_unique<JsonDiagnosticPrinter>(llvm::errs()) : nullptr);
    if (!session)
        return driver::ExitUsage;

    // The script first: a script that cannot be read is reported before the spec is worked on.
    std::optional<unsigned> scriptBuffer = session->load(scriptPath);
    if (!scriptBuffer)
        return session->finish();
    const llvm::MemoryBuffer* scriptText = session->sourceMgr().getMemoryBuffer(*scriptBuffer);
    std::string scriptName = scriptText->getBufferIdentifier().str();
    ScriptReporter reporter(*session, *scriptBuffer, scriptName);

    auto [program, tree] = session->elaborateRoot(files[0], root);
    if (!tree)
        return session->finish();
    if (session->diag().hasErrors())
        return session->finish();

    std::string why;
    sim::ModelPtr model = sim::buildModel(*tree, why);
    if (!model) {
        session->diag()
            .report(Severity::Error, "", {}, why)
            .file(files[0] == "-" ? std::string("<stdin>") : files[0]);
        return session->finish();
    }

    std::vector<sim::ScriptError> errors;
    sim::Script script = sim::parseScript(scriptText->getBuffer().str(), scriptName, errors);
    sim::checkScript(*model, script, errors);
    if (!errors.empty()) {
        for (const auto& e : errors)
            reporter.report(e, Severity::Error);
        return session->finish();
    }

    sim::SimResult result = sim::simulate(*model, script, llvm::outs());
    llvm::outs().flush();
    for (const auto& e : result.errors)
        reporter.report(e, Severity::Error);
    for (const auto& n : result.notes)
        reporter.report(n, Severity::Note);
    session->finish();
    switch (result.status) {
    case sim::SimResult::Status::Ok:
        return driver::ExitOk;
    case sim::SimResult::Status::BadScript:
        return driver::ExitSpecError;
    case sim::SimResult::Status::Stuck:
        return driver::ExitFindings;
    }
    return driver::ExitOk;
}

} // namespace

const Command kSimCommand = {
    "sim",
    "run the tree with stand-in workers and scripted faults; print the event trace",
    "supc sim FILE [--root NAME] --script S [options]",
    "Checks FILE, elaborates one tree (as dump does) and runs it on the real runtime in\n"
    "deterministic mode, on a virtual clock, every worker a stand-in. Then runs the script\n"
    "S line by line, waiting after each until every supervisor has finished reacting, and\n"
    "prints one JSON object per event on standard output:\n\n"
    "  {\"event\":\"exit\",\"path\":\"services/cache\",\"reason\":\"crash\",\"t_ms\":0}\n\n"
    "events: start, exit, terminate (reason shutdown or killed), start_failed, give_up;\n"
    "paths are child ids joined by '/', the root is \"\", dynamic children are numbered in\n"
    "start order (connections/1). t_ms is the virtual time. The same spec and script give\n"
    "the same trace, byte for byte. docs/sim.md has the details.\n\n"
    "script lines ('#' starts a comment):\n"
    "  crash PATH [REASON]         the worker raises (REASON defaults to crash);\n"
    "                              a supervisor is killed\n"
    "  exit PATH normal|shutdown   the worker stops on its own with that reason\n"
    "  fail_start PATH N           the next N start attempts of PATH fail\n"
    "  hang PATH                   the worker ignores shutdown requests from now on\n"
    "  start_child PATH            add a child to dynamic supervisor PATH\n"
    "  terminate_child PATH        ask PATH's supervisor to terminate it\n"
    "  restart_child PATH          restart a stopped child\n"
    "  delete_child PATH           delete a stopped child's spec\n"
    "  advance DURATION            let virtual time pass (500ms, 5s, 2m, 1h)\n"
    "  stop                        shut the tree down from the root\n\n"
    "options:\n"
    "  --script S            the script file ('-': standard input; not both FILE and S)\n"
    "  --root NAME           the supervisor, dynamic supervisor or application to run\n"
    "                        (default: the file's only application)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --format=human|json   how diagnostics (the spec's and the script's) are printed;\n"
    "                        json: one array on standard error (the trace is on stdout)\n"
    "  --color[=WHEN]        colours: auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                        always (--color alone) or never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 the script ran (also when the root gave up), 1 the tree got stuck\n"
    "(a supervisor waits forever for a hung child), 2 errors in the spec or the script\n"
    "(reported as SCRIPT:LINE:COLUMN), 64 usage error\n",
    runSim,
};

} // namespace supc::tool
