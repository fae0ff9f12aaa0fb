#include "supc/Format.h"

#include <cerrno>
#include <cstring>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <unistd.h>

namespace supc {

namespace {
std::string describe(std::error_code ec) {
    std::string m = ec.message();
    if (!m.empty() && m[0] >= 'A' && m[0] <= 'Z')
        m[0] = char(m[0] - 'A' + 'a');
    return m;
}
} // namespace

std::string replaceFileContents(const std::string& path, std::string_view contents) {
    namespace fs = llvm::sys::fs;
    llvm::SmallString<256> real;
    if (auto ec = fs::real_path(path, real))
        return describe(ec);
    fs::file_status status;
    if (auto ec = fs::status(real, status))
        return describe(ec);
    if (!fs::is_regular_file(status))
        return "not a regular file";
    const fs::perms perms = status.permissions();
    if ((perms & fs::all_write) == 0 || fs::access(real, fs::AccessMode::Write))
        return "the file is read-only";

    llvm::SmallString<256> model = llvm::sys::path::parent_path(real);
    llvm::sys::path::append(model,
                            "." + llvm::sys::path::filename(real).str() + ".supc-fmt-%%%%%%");
    int fd = -1;
    llvm::SmallString<256> temp;
    if (auto ec = fs::createUniqueFile(model, fd, temp, fs::OF_None, perms))
        return "cannot create a temporary file beside it: " + describe(ec);
    auto fail = [&](std::string what) {
        if (fd >= 0)
            ::close(fd);
        fs::remove(temp);
        return what;
    };
    for (size_t done = 0; done < contents.size();) {
        ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail(std::string("cannot write a temporary file: ") + std::strerror(errno));
        }
        done += size_t(n);
    }
    if (::fsync(fd) != 0)
        return fail(std::string("cannot flush a temporary file: ") + std::strerror(errno));
    int closed = ::close(fd);
    fd = -1;
    if (closed != 0)
        return fail(std::string("cannot write a temporary file: ") + std::strerror(errno));
    // The umask applied when the file was created; the original's permissions win.
    if (auto ec = fs::setPermissions(temp, perms))
        return fail(describe(ec));
    if (auto ec = fs::rename(temp, real))
        return fail(describe(ec));
    return "";
}

} // namespace supc
