// The dependency file, and writing outputs so that no reader ever sees half of one.
#include "supc/OutputFiles.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <unistd.h>

namespace supc::codegen {

std::string escapeMakePath(std::string_view path) {
    std::string out;
    for (char c : path) {
        if (c == ' ' || c == '#' || c == ':') {
            out += '\\';
        } else if (c == '$') {
            out += '$';
        }
        out += c;
    }
    return out;
}

std::string depfileProblem(std::string_view path) {
    // What Ninja's depfile lexer takes as part of a path (besides the escapes above), and
    // GNU Make as well.
    auto plain = [](unsigned char c) {
        return std::isalnum(c) || c >= 0x80 || (c != 0 && std::strchr("+,/_.~{}%=@[]!-()", c));
    };
    for (size_t i = 0; i < path.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(path[i]);
        if (c == '\\') {
            char next = i + 1 < path.size() ? path[i + 1] : '\0';
            if (next == '\0' || next == ' ' || next == '#' || next == ':')
                return next == '\0'
                           ? "a backslash at the end of a path cannot be escaped"
                           : fmt::format("a backslash before '{}' cannot be escaped", next);
            continue;
        }
        if (plain(c) || c == ' ' || c == '#' || c == '$' || c == ':')
            continue;
        if (c < 0x20 || c == 0x7f)
            return fmt::format("Ninja ends a path at a control character (U+{:04X})", c);
        return fmt::format("Ninja ends a path at '{}'", char(c));
    }
    if (!path.empty() && path.back() == ')' && path.find('(') != std::string_view::npos)
        return "GNU Make reads NAME(MEMBER) as a member of the archive NAME";
    return "";
}

std::string makeDepfile(const std::vector<std::string>& targets,
                        const std::vector<std::string>& dependencies) {
    std::string out;
    for (size_t i = 0; i < targets.size(); ++i)
        out += (i ? " " : "") + escapeMakePath(targets[i]);
    out += ":";
    for (const auto& d : dependencies)
        out += " \\\n  " + escapeMakePath(d);
    out += "\n";
    return out;
}

std::vector<std::string> specDependencies(const ir::Program& program) {
    std::vector<std::string> out;
    auto add = [&](const ir::Module& m) {
        if (m.canonicalPath == "<stdin>" || m.canonicalPath.empty())
            return;
        for (const auto& o : out)
            if (o == m.canonicalPath)
                return;
        out.push_back(m.canonicalPath);
    };
    if (program.entry)
        add(*program.entry);
    for (const auto& m : program.modules)
        add(*m);
    return out;
}

namespace {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

std::string describe(std::error_code ec) {
    std::string m = ec.message();
    if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z')
        m[0] = char(m[0] - 'A' + 'a');
    return m;
}

// `p` absolute, with its longest existing prefix resolved (symbolic links, "." and "..")
// and the rest normalised lexically (no part of it exists, so none is a link).
std::string normalisedPath(const std::string& p) {
    llvm::SmallString<256> abs(p);
    if (fs::make_absolute(abs))
        return p;
    path::remove_dots(abs, /*remove_dot_dot=*/false);
    llvm::SmallString<256> existing(abs);
    std::vector<std::string> rest; // the missing components, innermost first
    while (!existing.empty() && !fs::exists(existing)) {
        rest.push_back(path::filename(existing).str());
        llvm::StringRef parent = path::parent_path(existing);
        if (parent == existing)
            break;
        // `parent` is a prefix of `existing` and points into it: assigning it would copy a
        // buffer onto itself (LLVM's assertions stop that).
        existing.resize(parent.size());
    }
    llvm::SmallString<256> out;
    if (existing.empty() || fs::real_path(existing, out))
        out = existing;
    for (auto it = rest.rbegin(); it != rest.rend(); ++it)
        path::append(out, *it);
    path::remove_dots(out, /*remove_dot_dot=*/true);
    return out.str().str();
}

bool sameContents(const std::string& p, const std::string& contents) {
    auto buffer =
        llvm::MemoryBuffer::getFile(p, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    return buffer && (*buffer)->getBuffer() == contents;
}

std::string writeAll(int fd, std::string_view contents) {
    for (size_t done = 0; done < contents.size();) {
        ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return std::strerror(errno);
        }
        done += size_t(n);
    }
    return "";
}

// A name beside `p` that nothing uses: "p.SUFFIX-xxxxxx".
std::string uniqueBeside(const std::string& p, std::string_view suffix) {
    llvm::SmallString<256> model(p);
    model += suffix;
    model += "-%%%%%%";
    llvm::SmallString<256> out;
    fs::createUniquePath(model, out, /*MakeAbsolute=*/false);
    return out.str().str();
}

} // namespace

bool samePath(const std::string& a, const std::string& b) {
    fs::UniqueID ia, ib;
    if (!fs::getUniqueID(a, ia) && !fs::getUniqueID(b, ib))
        return ia == ib;
    // One does not exist yet, but may once the directories on its way are made: what its
    // path will name then ("missing/../app.sup" is "app.sup").
    return normalisedPath(a) == normalisedPath(b);
}

std::string writeFiles(const std::vector<std::pair<std::string, std::string>>& files,
                       const RenameFunction& renameFn) {
    RenameFunction rename =
        renameFn ? renameFn : [](const std::string& from, const std::string& to) {
            return fs::rename(from, to);
        };
    auto quoted = [](const std::string& p) { return "'" + p + "'"; };

    // 1. Nothing in the way; the directories.
    for (const auto& [p, contents] : files) {
        fs::file_status st;
        if (!fs::status(p, st, /*Follow=*/false) && st.type() == fs::file_type::directory_file)
            return "cannot write " + quoted(p) + ": it is a directory";
    }
    std::vector<std::string> createdDirs; // in the order they were created
    auto removeCreatedDirs = [&] {
        for (auto it = createdDirs.rbegin(); it != createdDirs.rend(); ++it)
            fs::remove(*it); // only if still empty
    };
    for (const auto& [p, contents] : files) {
        llvm::SmallString<256> dir(path::parent_path(p));
        std::vector<std::string> missing;
        while (!dir.empty() && !fs::exists(dir)) {
            missing.push_back(dir.str().str());
            llvm::StringRef parent = path::parent_path(dir);
            if (parent == dir)
                break;
            dir.resize(parent.size()); // `parent` is a prefix pointing into `dir`
        }
        if (!dir.empty() && !fs::is_directory(dir)) {
            removeCreatedDirs();
            return "cannot create the directory of " + quoted(p) + ": " + quoted(dir.str().str()) +
                   " is not a directory";
        }
        for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
            if (auto ec = fs::create_directory(*it, /*IgnoreExisting=*/false)) {
                if (ec == std::errc::file_exists && fs::is_directory(*it))
                    continue; // made meanwhile by someone else: not ours to remove
                removeCreatedDirs();
                return "cannot create the directory " + quoted(*it) + ": " + describe(ec);
            }
            createdDirs.push_back(*it);
        }
    }

    // 2. The temporaries.
    struct Pending {
        std::string temp, target, backup; // backup: a hard link to the replaced file
        bool existed = false, renamed = false;
    };
    std::vector<Pending> pending;
    auto cleanUp = [&](std::string message) {
        for (const auto& p : pending) {
            if (!p.renamed)
                fs::remove(p.temp);
            if (!p.backup.empty())
                fs::remove(p.backup);
        }
        removeCreatedDirs();
        return message;
    };
    for (const auto& [p, contents] : files) {
        if (sameContents(p, contents))
            continue;
        llvm::SmallString<256> model(p);
        model += ".tmp-%%%%%%";
        int fd = -1;
        llvm::SmallString<256> temp;
        if (auto ec = fs::createUniqueFile(model, fd, temp, fs::OF_None, 0644))
            return cleanUp("cannot write " + quoted(p) + ": " + describe(ec));
        pending.push_back({temp.str().str(), p, "", fs::exists(p), false});
        std::string error = writeAll(fd, contents);
        if (::close(fd) != 0 && error.empty())
            error = std::strerror(errno);
        if (!error.empty())
            return cleanUp("cannot write " + quoted(p) + ": " + error);
    }

    // 3. Renames, each file's old self kept until all are in place.
    for (auto& p : pending) {
        if (!p.existed)
            continue;
        for (int attempt = 0; attempt < 10 && p.backup.empty(); ++attempt) {
            std::string name = uniqueBeside(p.target, ".old");
            if (!fs::create_hard_link(p.target, name))
                p.backup = name;
            else if (!fs::exists(name))
                break; // no hard links here: this file cannot be put back
        }
    }
    for (size_t i = 0; i < pending.size(); ++i) {
        if (auto ec = rename(pending[i].temp, pending[i].target)) {
            // 4. Put back what was renamed, newest first.
            std::string message = "cannot write " + quoted(pending[i].target) + ": " + describe(ec);
            std::vector<std::string> notRestored;
            for (size_t j = i; j-- > 0;) {
                Pending& done = pending[j];
                if (!done.existed) {
                    if (fs::remove(done.target))
                        notRestored.push_back(quoted(done.target) + " (new)");
                } else if (done.backup.empty()) {
                    notRestored.push_back(quoted(done.target) + " (no hard link was possible)");
                } else if (fs::rename(done.backup, done.target)) {
                    notRestored.push_back(quoted(done.target) + " (its previous contents are in " +
                                          quoted(done.backup) + ")");
                    done.backup.clear(); // kept for the user
                } else {
                    done.backup.clear(); // renamed back: nothing to remove
                }
            }
            if (!notRestored.empty()) {
                message += "; these were replaced and could not be put back:";
                for (size_t k = 0; k < notRestored.size(); ++k)
                    message += (k ? ", " : " ") + notRestored[k];
            }
            return cleanUp(message);
        }
        pending[i].renamed = true;
    }
    for (const auto& p : pending)
        if (!p.backup.empty())
            fs::remove(p.backup);
    return "";
}

} // namespace supc::codegen
