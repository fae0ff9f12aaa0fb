#include "Command.h"
#include "supc/Driver.h"
#include "supc/Elaborator.h"
#include "supc/IR.h"
#include "supc/Run.h"

#include <cstdio>
#include <llvm/Support/raw_ostream.h>
#include <mutex>

namespace supc::tool {

namespace {

int runRun(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::string root;
    driver::ArgParser parser("run");
    parser.option("--root", &root);
    options.addTo(parser);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "run", "no input file");
    if (files.size() > 1)
        return driver::usageError(llvm::errs(), "run", "run takes one file");
    if (options.format != "human" && options.format != "json")
        return driver::usageError(llvm::errs(), "run",
                                  "--format takes human or json, not '" + options.format + "'");

    // Standard output carries the events: JSON diagnostics go to standard error.
    auto session = driver::Session::create(
        options, "run", ctx.argv0, llvm::errs(),
        options.format == "json" ? std::make_unique<JsonDiagnosticPrinter>(llvm::errs()) : nullptr);
    if (!session)
        return driver::ExitUsage;
    auto [program, tree] = session->elaborateRoot(files[0], root);
    if (!tree || session->diag().hasErrors())
        return session->finish();
    for (const run::Problem& p : run::checkRunnable(*tree)) {
        const Node* n = p.node;
        // A child where it is declared; a dynamic supervisor's template at its `of KIND`.
        SourceRange at = n->childDecl ? n->childDecl->kindRange : SourceRange();
        if (!at.isValid() && n->isTemplate && n->parent)
            if (auto* d = llvm::dyn_cast_or_null<ir::DynamicSupervisorDecl>(n->parent->decl))
                at = d->templRange;
        auto b = session->diag().report(Severity::Error, "", at, p.message);
        if (!at.isValid())
            b.file(files[0] == "-" ? std::string("<stdin>") : files[0]);
        b.note("build a program of it with supc compile (docs/codegen.md), or declare it as "
               "a program: worker W = program \"command\" { ... }");
    }
    if (session->diag().hasErrors())
        return session->finish();
    session->finish();

    // Events, log lines and notes come from the runtime's threads: one line at a time.
    std::mutex out;
    run::Options o;
    o.event = [&](const std::string& line) {
        std::lock_guard<std::mutex> l(out);
        std::fwrite(line.data(), 1, line.size(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    };
    o.log = [&](std::string_view line) {
        std::lock_guard<std::mutex> l(out);
        std::fwrite(line.data(), 1, line.size(), stderr);
        if (line.empty() || line.back() != '\n')
            std::fputc('\n', stderr);
    };
    o.note = [&](const std::string& line) {
        std::lock_guard<std::mutex> l(out);
        std::fprintf(stderr, "supc run: %s\n", line.c_str());
    };
    run::Outcome result = run::runTree(*tree, o);
    switch (result.kind) {
    case run::Outcome::Kind::Stopped:
        return driver::ExitOk;
    case run::Outcome::Kind::RootDown:
        o.note("the root went down (" + result.reason + "): exiting with status 1");
        return driver::ExitFindings;
    case run::Outcome::Kind::StartFailed:
        o.note("the tree did not start: " + result.reason);
        return driver::ExitFindings;
    }
    return driver::ExitOk;
}

} // namespace

const Command kRunCommand = {
    "run",
    "run a tree of programs (processes) and supervisors, without C++",
    "supc run FILE [--root NAME] [options]",
    "Checks FILE, elaborates one tree (as dump does) and runs it: each program (worker W =\n"
    "program \"cmd\" { ... }) is an operating-system process supervised with OTP's semantics\n"
    "(docs/runtime.md, \"Process children\"); supervisors and dynamic supervisors are the\n"
    "runtime's. C++ workers cannot run here (supc compile builds those). Prints one JSON\n"
    "object per supervision event on standard output, as supc sim does, t_ms being the\n"
    "milliseconds since the start:\n\n"
    "  {\"event\":\"exit\",\"path\":\"web\",\"reason\":\"{signal,SIGSEGV}\",\"t_ms\":1042}\n\n"
    "events: start, exit, terminate, start_failed, give_up, restart_delayed. The programs'\n"
    "output lines and the runtime's reports go to standard error. SIGTERM or SIGINT stops the\n"
    "tree in order (reverse start order, each shutdown timeout honoured) and exits 0. A\n"
    "dynamic supervisor starts with no children: supc run starts none.\n\n"
    "options:\n"
    "  --root NAME           the supervisor, dynamic supervisor or application to run\n"
    "                        (default: the file's only application)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --format=human|json   how diagnostics are printed (json: on standard error)\n"
    "  --color=auto|always|never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 stopped by SIGTERM or SIGINT, 1 the root went down (it gave up, or\n"
    "shut itself down) or the tree did not start, 2 errors in the spec (or a C++ worker in\n"
    "the tree), 64 usage error\n",
    runRun,
};

} // namespace supc::tool
