#include "Command.h"
#include "supc/Codegen.h"
#include "supc/Driver.h"
#include "supc/Elaborator.h"
#include "supc/OutputFiles.h"
#include "supc/TextEscape.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <map>

namespace supc::tool {

namespace {

int outputError(const std::string& message) {
    llvm::errs() << "supc compile: error: " << escapeForTerminal(message)
                 << "\nsupc compile: nothing was changed\n";
    llvm::errs().flush();
    return driver::ExitCantCreate;
}

std::string quoted(const std::string& path) {
    return "'" + path + "'";
}

// Where `module` is imported (the first import of it), as "file:line:column: ", or "" for
// the file named on the command line.
std::string importedAt(const ir::Program& program, const ir::Module* module,
                       const llvm::SourceMgr& sm) {
    for (const auto& m : program.modules)
        for (const auto& i : m->imports)
            if (i.module == module) {
                auto loc = presumedLocation(sm, i.range.begin);
                if (loc.isValid())
                    return loc.file + ":" + std::to_string(loc.line) + ":" +
                           std::to_string(loc.column) + ": ";
            }
    return "";
}

// The depfile's paths must read back as themselves: a path Make or Ninja would misread
// is an error where the path comes from (the import, or the command line).
int checkDepfilePaths(const ir::Program& program, const std::vector<std::string>& targets,
                      const llvm::SourceMgr& sm) {
    auto check = [&](const ir::Module* m) -> int {
        if (!m || m->canonicalPath.empty() || m->canonicalPath == "<stdin>")
            return driver::ExitOk;
        std::string why = codegen::depfileProblem(m->canonicalPath);
        if (why.empty())
            return driver::ExitOk;
        std::string at = importedAt(program, m, sm);
        llvm::errs() << escapeForTerminal(at) << (at.empty() ? "supc compile: " : "")
                     << "error: the depfile cannot name the spec "
                     << escapeForTerminal(quoted(m->canonicalPath)) << ": "
                     << escapeForTerminal(why) << "\n";
        return outputError("no dependency file can be written for " +
                           quoted(program.entry ? program.entry->path : m->path) +
                           " (rename the file, or leave out --depfile)");
    };
    if (int status = check(program.entry); status != driver::ExitOk)
        return status;
    for (const auto& m : program.modules)
        if (int status = check(m.get()); status != driver::ExitOk)
            return status;
    // The outputs' names come from the spec's (checked above) and from -o.
    for (const auto& t : targets)
        if (std::string why = codegen::depfileProblem(t); !why.empty())
            return outputError("the depfile cannot name the output " + quoted(t) + ": " + why);
    return driver::ExitOk;
}

int runCompile(const CommandContext& ctx, const std::vector<std::string>& args) {
    driver::CommonOptions options;
    std::string outDir, depfile, depfileTarget;
    driver::ArgParser parser("compile");
    options.addTo(parser);
    parser.option("--output", &outDir, "-o");
    parser.option("--depfile", &depfile);
    parser.option("--depfile-target", &depfileTarget);
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
    if (!depfileTarget.empty() && depfile.empty())
        return driver::usageError(llvm::errs(), "compile",
                                  "--depfile-target names the target of a --depfile: give both");

    auto session = driver::Session::create(options, "compile", ctx.argv0, llvm::errs());
    if (!session)
        return driver::ExitUsage;

    struct Output {
        std::string path, contents, role; // role: "--depfile 'app.d'", ...
    };
    std::vector<Output> outputs;
    struct Input {
        std::string path, role;
    };
    std::vector<Input> inputs;
    std::vector<std::unique_ptr<ir::Program>> programs; // for the depfile's checks
    std::map<std::string, std::string> stems;           // output name -> spec
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
        session->endFile();
        if (!badNames.empty())
            continue;

        codegen::GeneratedFiles gen = codegen::generate(*program, session->sourceMgr());
        if (!gen.internalErrors.empty()) {
            for (const auto& e : gen.internalErrors)
                llvm::errs() << "supc compile: internal error: " << escapeForTerminal(e) << "\n";
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
            return driver::usageError(
                llvm::errs(), "compile",
                ("'" + it->second + "' and '" + file + "' would both generate " + gen.headerName));
        std::string header = path(gen.headerName), source = path(gen.sourceName);
        outputs.push_back({header, std::move(gen.header),
                           "the header " + quoted(header) + " generated from " + quoted(file)});
        outputs.push_back({source, std::move(gen.source),
                           "the source " + quoted(source) + " generated from " + quoted(file)});
        std::vector<std::string> dependencies = codegen::specDependencies(*program);
        for (const auto& d : dependencies)
            inputs.push_back({d, d == program->entry->canonicalPath
                                     ? "the spec " + quoted(file)
                                     : "the spec " + quoted(d) + " imported by " + quoted(file)});
        if (!depfile.empty()) {
            std::vector<std::string> targets = {header, source};
            if (!depfileTarget.empty())
                targets = {depfileTarget};
            outputs.push_back({depfile, codegen::makeDepfile(targets, dependencies),
                               "--depfile " + quoted(depfile)});
        }
        programs.push_back(std::move(checked.program));
    }
    if (int status = session->finish(); status != driver::ExitOk) {
        if (options.format == "human")
            driver::printSummary(llvm::errs(), session->diag());
        return status;
    }
    if (!depfile.empty() && !programs.empty())
        if (int status = checkDepfilePaths(
                *programs[0],
                depfileTarget.empty() ? std::vector<std::string>{outputs[0].path, outputs[1].path}
                                      : std::vector<std::string>{depfileTarget},
                session->sourceMgr());
            status != driver::ExitOk)
            return status;

    // No output may be an input or another output: `--depfile app.sup` would overwrite the
    // spec, `--depfile out/app.sup.hpp` the header.
    for (size_t i = 0; i < outputs.size(); ++i) {
        for (const auto& in : inputs)
            if (codegen::samePath(outputs[i].path, in.path))
                return driver::usageError(llvm::errs(), "compile",
                                          outputs[i].role + " is " + in.role +
                                              ": an output cannot replace an input");
        for (size_t j = 0; j < i; ++j)
            if (codegen::samePath(outputs[i].path, outputs[j].path))
                return driver::usageError(llvm::errs(), "compile",
                                          outputs[i].role + " is " + outputs[j].role +
                                              ": each output needs a file of its own");
    }

    // The output directory is made (and removed again on failure) by writeFiles, which
    // creates each file's missing parent directories.
    std::vector<std::pair<std::string, std::string>> contents;
    for (auto& o : outputs)
        contents.emplace_back(o.path, std::move(o.contents));
    if (std::string error = codegen::writeFiles(contents); !error.empty())
        return outputError(error);
    return driver::ExitOk;
}

} // namespace

const Command kCompileCommand = {
    "compile",
    "generate C++ from a spec",
    "supc compile FILE... -o DIR [--depfile F [--depfile-target T]] [options]",
    "Checks each FILE as `supc check` does (with every env() variable unset: the generated\n"
    "code reads the environment when it starts, not supc), then writes NAME.sup.hpp and\n"
    "NAME.sup.cpp into DIR (created if missing), NAME being the file's name without .sup.\n"
    "The code is in the spec's package namespace: a function building each supervisor's\n"
    "spec (NAME_spec), start_NAME(runtime) for each application; docs/codegen.md says more.\n"
    "All or none: nothing is written when a spec has errors or an output cannot be\n"
    "written (exit 73: nothing changed, directories made for the run removed again); files\n"
    "are written to temporaries and renamed into place, and left untouched (time stamps\n"
    "too) when their contents would not change. docs/codegen.md says what is guaranteed.\n\n"
    "options:\n"
    "  -o, --output DIR      where the generated files go\n"
    "  --depfile F           also write a Makefile-style dependency file: the generated files\n"
    "                        depend on the spec and every spec it imports (std included);\n"
    "                        for CMake's and Ninja's DEPFILE (one FILE only); F cannot be\n"
    "                        an input or an output, nor can it name a path Make or Ninja\n"
    "                        would misread (a newline, '&', ...: exit 73)\n"
    "  --depfile-target T    the target the dependency file names, instead of the generated\n"
    "                        files: a stamp file the build touches after each compile, for\n"
    "                        build tools that (unlike Ninja) cannot see that a rule left its\n"
    "                        outputs untouched (Make; supc_generate uses it)\n"
    "  --stdlib DIR          where 'import \"std\";' looks\n"
    "  --format=human|json|github   how diagnostics are printed (json: an array on stdout;\n"
    "                        github: GitHub Actions annotations on stdout)\n"
    "  --color[=WHEN]        colours: auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                        always (--color alone) or never\n"
    "  --error-limit N       stop after N errors (default 50; 0: no limit)\n\n"
    "exit status: 0 written, 2 a spec has errors, 64 usage error (also: an output that is\n"
    "an input or another output), 73 cannot write the output (nothing was changed)\n",
    runCompile,
};

} // namespace supc::tool
