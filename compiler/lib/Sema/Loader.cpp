#include "Sema/Loader.h"

#include "supc/EditDistance.h"
#include "supc/InputFile.h"
#include "supc/Limits.h"
#include "supc/Parser.h"

#include <cstdlib>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/Process.h>
#include <llvm/Support/Program.h>
#include <unistd.h>

namespace supc {
namespace sema {

std::string canonicalPath(const std::string& path) {
    llvm::SmallString<256> real;
    if (!llvm::sys::fs::real_path(path, real))
        return std::string(real.str());
    llvm::SmallString<256> abs(path);
    llvm::sys::fs::make_absolute(abs);
    llvm::sys::path::remove_dots(abs, true);
    return std::string(abs.str());
}

std::unique_ptr<llvm::MemoryBuffer> readSpecFile(const std::string& path, DiagnosticEngine& diag,
                                                 SourceRange site) {
    return readInput(path, diag, site);
}

void Loader::loadEntry(std::unique_ptr<llvm::MemoryBuffer> buffer, const std::string& canonical) {
    entry = load(std::move(buffer), canonical, /*isStdlib=*/false, nullptr);
    // An imported file that cannot be checked only makes its importers' names
    // incomplete (Resolver::declare); the entry file must be checked.
    fatal = entry->fatal;
    for (auto& f : owned_)
        files.push_back(std::move(*f));
    // `files` now owns the loaded files; point `entry` into it.
    for (auto& f : files)
        if (f.module->canonicalPath == canonical)
            entry = &f;
}

LoadedFile* Loader::load(std::unique_ptr<llvm::MemoryBuffer> buffer, const std::string& canonical,
                         bool isStdlib, const ast::ImportDecl* via) {
    std::string path = buffer->getBufferIdentifier().str();
    unsigned id = diag_.sourceMgr().AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
    ParseResult parsed = parseBuffer(id, diag_);

    auto file = std::make_unique<LoadedFile>();
    file->module = std::make_unique<ir::Module>();
    file->module->path = path;
    file->module->canonicalPath = canonical;
    file->module->bufferId = id;
    file->module->name = llvm::sys::path::stem(path).str();
    file->module->isStdlib = isStdlib;
    file->module->comments = parsed.file->comments;
    file->ast = std::move(parsed.file);
    file->fatal = parsed.fatal;

    LoadedFile* raw = file.get();
    stack_.push_back({canonical, via, path});
    if (!file->fatal)
        loadImports(*raw);
    stack_.pop_back();
    // Dependencies first: a file is appended after everything it imports.
    loaded_[canonical] = owned_.size();
    owned_.push_back(std::move(file));
    return raw;
}

void Loader::loadImports(LoadedFile& file) {
    std::string dir = llvm::sys::path::parent_path(file.module->path).str();
    for (const auto& decl : file.ast->decls) {
        const auto* imp = llvm::dyn_cast<ast::ImportDecl>(decl.get());
        if (!imp)
            continue;
        file.importTargets.push_back(nullptr);

        std::string rel = imp->path;
        if (llvm::sys::path::extension(rel).empty())
            rel += ".sup";
        std::vector<std::pair<std::string, bool>> candidates; // path, is stdlib
        if (llvm::sys::path::is_absolute(rel)) {
            candidates.push_back({rel, false});
        } else {
            llvm::SmallString<256> local(dir);
            llvm::sys::path::append(local, rel);
            candidates.push_back({std::string(local.str()), false});
            if (!options_.stdlibDir.empty()) {
                llvm::SmallString<256> std(options_.stdlibDir);
                llvm::sys::path::append(std, rel);
                candidates.push_back({std::string(std.str()), true});
            }
        }
        std::string found;
        bool foundInStdlib = false;
        std::optional<std::string> inMemory; // an open buffer of the path (openBuffer)
        for (const auto& [c, isStd] : candidates) {
            if (options_.openBuffer && (inMemory = options_.openBuffer(c))) {
                found = c;
                foundInStdlib = isStd;
                break;
            }
            if (llvm::sys::fs::is_regular_file(c)) {
                found = c;
                foundInStdlib = isStd;
                break;
            }
        }
        if (found.empty()) {
            auto b = diag_.error(ErrorCode::E030, imp->pathRange, "cannot find '{}' to import",
                                 imp->path);
            std::vector<std::string> known;
            bool suggest = diag_.allowSuggestion(); // else spare listing the directories
            for (const auto& [c, isStd] : candidates) {
                b.note(fmt::format("looked for '{}'", c));
                if (!suggest)
                    continue;
                std::error_code ec;
                auto parent = llvm::sys::path::parent_path(c);
                for (llvm::sys::fs::directory_iterator it(parent, ec), end; it != end && !ec;
                     it.increment(ec))
                    if (llvm::sys::path::extension(it->path()) == ".sup")
                        known.push_back(llvm::sys::path::stem(it->path()).str());
            }
            std::string stem = llvm::sys::path::stem(imp->path).str();
            if (auto guess = closestMatch(stem, known)) {
                b.note(fmt::format("did you mean '{}'?", *guess));
            }
            continue; // its names are not known: uses of them are not reported
        }
        std::string canonical = canonicalPath(found);

        for (size_t i = 0; i < stack_.size(); ++i) {
            if (stack_[i].canonical != canonical)
                continue;
            std::string chain;
            for (size_t k = i; k < stack_.size(); ++k)
                chain += "'" + stack_[k].path + "' -> ";
            chain += "'" + stack_[i].path + "'";
            auto b = diag_.error(ErrorCode::E029, imp->pathRange, "import cycle: {}", chain);
            for (size_t k = i + 1; k < stack_.size(); ++k)
                if (stack_[k].via)
                    b.note(fmt::format("'{}' is imported here", stack_[k].path),
                           stack_[k].via->pathRange);
            canonical.clear();
            break;
        }
        if (canonical.empty())
            continue;

        if (auto it = loaded_.find(canonical); it != loaded_.end()) {
            file.importTargets.back() = owned_[it->second]->module.get();
            continue;
        }
        if (stack_.size() >= limits::kMaxImportDepth) {
            diag_.error(ErrorCode::E004, imp->pathRange, "imports are nested more than {} deep",
                        limits::kMaxImportDepth);
            continue;
        }
        auto buffer = inMemory ? llvm::MemoryBuffer::getMemBufferCopy(*inMemory, found)
                               : readSpecFile(found, diag_, imp->pathRange);
        if (!buffer)
            continue;
        LoadedFile* loadedFile = load(std::move(buffer), canonical, foundInStdlib, imp);
        file.importTargets.back() = loadedFile->module.get();
    }
}

} // namespace sema

std::string findStdlibDir(const std::string& flag, const char* argv0) {
    if (!flag.empty())
        return flag;
    if (const char* env = std::getenv("SUPC_STDLIB"); env && *env)
        return env;
    if (argv0) {
        std::string exe = llvm::sys::fs::getMainExecutable(argv0, (void*)&findStdlibDir);
        if (!exe.empty()) {
            llvm::SmallString<256> installed(llvm::sys::path::parent_path(exe));
            llvm::sys::path::append(installed, "..", "share", "supc", "stdlib");
            llvm::sys::path::remove_dots(installed, true);
            if (llvm::sys::fs::is_directory(installed))
                return std::string(installed.str());
        }
    }
    return SUPC_SOURCE_STDLIB_DIR;
}

} // namespace supc
