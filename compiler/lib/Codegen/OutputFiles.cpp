// The dependency file, and writing outputs so that no reader ever sees half of one.
#include "supc/Codegen.h"

#include <cerrno>
#include <cstring>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>
#include <unistd.h>

namespace supc::codegen {

std::string escapeMakePath(std::string_view path) {
    // As GCC's -MD writes dependencies (libcpp/mkdeps.cc): backslashes before a space are
    // doubled and the space escaped; '#' escaped; '$' doubled. Make and Ninja read this.
    std::string out;
    for (size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        if (c == ' ' || c == '\t') {
            for (size_t j = i; j > 0 && path[j - 1] == '\\'; --j)
                out += '\\';
            out += '\\';
        } else if (c == '#') {
            out += '\\';
        } else if (c == '$') {
            out += '$';
        }
        out += c;
    }
    return out;
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

std::string describe(std::error_code ec) {
    std::string m = ec.message();
    if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z')
        m[0] = char(m[0] - 'A' + 'a');
    return m;
}

bool sameContents(const std::string& path, const std::string& contents) {
    auto buffer =
        llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
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

} // namespace

std::string writeFiles(const std::vector<std::pair<std::string, std::string>>& files) {
    namespace fs = llvm::sys::fs;
    struct Pending {
        std::string temp, path;
    };
    std::vector<Pending> pending;
    auto fail = [&](std::string message) {
        for (const auto& p : pending)
            fs::remove(p.temp);
        return message;
    };
    // Every temporary is written before any is renamed: a failure changes nothing.
    for (const auto& [path, contents] : files) {
        if (sameContents(path, contents))
            continue;
        llvm::SmallString<256> model(path);
        model += ".tmp-%%%%%%";
        int fd = -1;
        llvm::SmallString<256> temp;
        if (auto ec = fs::createUniqueFile(model, fd, temp, fs::OF_None, 0644))
            return fail("cannot write '" + path + "': " + describe(ec));
        pending.push_back({temp.str().str(), path});
        std::string error = writeAll(fd, contents);
        if (::close(fd) != 0 && error.empty())
            error = std::strerror(errno);
        if (!error.empty())
            return fail("cannot write '" + path + "': " + error);
    }
    for (size_t i = 0; i < pending.size(); ++i) {
        if (auto ec = fs::rename(pending[i].temp, pending[i].path)) {
            std::string message = "cannot write '" + pending[i].path + "': " + describe(ec);
            pending.erase(pending.begin(), pending.begin() + long(i));
            return fail(message);
        }
    }
    return "";
}

} // namespace supc::codegen
