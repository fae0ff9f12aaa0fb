#include "Command.h"
#include "supc/Codegen.h"
#include "supc/Driver.h"
#include "supc/Elaborator.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <map>

namespace supc::tool {

namespace {

int outputError(const std::string& message) {
    llvm::errs() << "supc compile: error: " << message << "\n";
    llvm::errs().flush();
    return driver::ExitCantCreate;
}

int runCompile(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::string outDir, depfile;
    driver::ArgParser parser("compile");
    options.addTo(parser);
    parser.option("--output", &outDir, "-o");
    parser.option("--depfile", &depfile);
    std::vector<std::string> files;
    if (!parser.parse(args, files, llvm::errs()))
        return driver::ExitUsage;
    if (files.empty())
        return driver::usageError(llvm::errs(), "compile", "no input file");
    if (outDir.empty())
        return driver::usageError(llvm::errs(), "compile",
                                  "no output directory: say where the C++ goes with -o DIR");
    for (const auto& f : files)
        if (f == "-")
            return driver::usageError(llvm::errs(), "compile",
                                      "compile reads a file, not standard input: the generated "
                                      "files are named after it");
    if (!depfile.empty() && files.size() > 1)
        return driver::usageError(llvm::errs(), "compile", "--depfile takes one input file");

    auto session = driver::Session::create(options, "compile", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;

    std::vector<std::pair<std::string, std::string>> outputs;
    std::map<std::string, std::string> stems; // output name -> spec
    for (const auto& file : files) {
        if (session->diag().limitReached())
            break;
        // The generated code reads env() at start-up, so the spec is checked as it would be
        // with every variable unset: the build machine's environment does not change the
        // outcome.
        driver::Session::Checked checked =
            session->checkAndElaborate(file, Environment::defaults());
        session->endFile();
        if (!checked.clean)
            continue;
        const ir::Program* program = checked.program.get();
        // The generated files include headers named after spec files.
        auto badNames = codegen::includeNameProblems(*program);
        for (const auto& bad : badNames)
            session->diag()
                .error(ErrorCode::E044, bad.range,
                       "the generated header '{}' cannot be #included: {}", bad.header, bad.problem)
                .note("its name is the spec file's: rename the file");
        if (!badNames.empty())
            continue;

        codegen::GeneratedFiles gen = codegen::generate(*program, session->sourceMgr());
        if (!gen.internalErrors.empty()) {
            for (const auto& e : gen.internalErrors)
                llvm::errs() << "supc compile: internal error: " << e << "\n";
            llvm::errs() << "supc compile: nothing was written; please report this bug\n";
            return driver::ExitSoftware;
        }
        auto path = [&](const std::string& name) {
            llvm::SmallString<256> p(outDir);
            llvm::sys::path::append(p, name);
            return p.str().str();
        };
        auto [it, fresh] = stems.emplace(gen.headerName, file);
        if (!fresh)
            return driver::usageError(llvm::errs(), "compile",
                                      "'" + it->second + "' and '" + file +
                                          "' would both generate " + gen.headerName);
        std::string header = path(gen.headerName), source = path(gen.sourceName);
        outputs.emplace_back(header, std::move(gen.header));
        outputs.emplace_back(source, std::move(gen.source));
        if (!depfile.empty())
            outputs.emplace_back(
                depfile,
                codegen::makeDepfile({header, source}, codegen::specDependencies(*program)));
    }
    if (int status = session->finish(); status != driver::ExitOk)
        return status;

    if (auto ec = llvm::sys::fs::create_directories(outDir))
        return outputError("cannot create the output directory '" + outDir + "': " + ec.message());
    if (!depfile.empty()) {
        llvm::StringRef parent = llvm::sys::path::parent_path(depfile);
        if (!parent.empty())
            if (auto ec = llvm::sys::fs::create_directories(parent))
                return outputError("cannot create the directory of '" + depfile +
                                   "': " + ec.message());
    }
    if (std::string error = codegen::writeFiles(outputs); !error.empty())
        return outputError(error);
    return driver::ExitOk;
}

} // namespace

const Command kCompileCommand = {
    "compile",
    "generate C++ from a spec",
    "supc compile FILE... -o DIR [--depfile F] [options]",
    "Checks each FILE as `supc check` does (with every env() variable unset: the generated\n"
    "code reads the environment when it starts, not supc), then writes NAME.sup.hpp and\n"
    "NAME.sup.cpp into DIR (created if missing), NAME being the file's name without .sup.\n"
    "The code is in the spec's package namespace: a function building each supervisor's\n"
    "spec (NAME_spec), start_NAME(runtime) for each application; docs/codegen.md says more.\n"
    "Nothing is written when a spec has errors; files are replaced atomically, and left\n"
    "untouched (time stamps too) when their contents would not change.\n\n"
    "options:\n"
    "  -o, --output DIR      where the generated files go\n"
    "  --depfile F           also write a Makefile-style dependency file: the generated files\n"
    "                        depend on the spec and every spec it imports (std included);\n"
    "                        for CMake's and Ninja's DEPFILE (one FILE only)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --format=human|json   how diagnostics are printed\n"
    "  --color=auto|always|never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 written, 2 a spec has errors, 64 usage error, 73 cannot write the output\n",
    runCompile,
};

} // namespace supc::tool
