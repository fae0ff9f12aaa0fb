#include "supc/InputFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace supc {

namespace {

std::string lowercaseFirst(std::string s) {
    if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z')
        s[0] = char(s[0] - 'A' + 'a');
    return s;
}

InputFile failure(InputProblem::Kind kind, std::string reason) {
    InputFile out;
    out.problem = {kind, std::move(reason)};
    return out;
}

InputFile errnoFailure(int error) {
    return failure(InputProblem::Kind::CannotRead, lowercaseFirst(std::strerror(error)));
}

InputFile tooLarge(size_t limit, std::string detail = "") {
    return failure(InputProblem::Kind::TooLarge,
                   fmt::format("larger than {}{}",
                               limit >= (1u << 20) && limit % (1u << 20) == 0
                                   ? fmt::format("{} MiB", limit >> 20)
                                   : fmt::format("{} bytes", limit),
                               detail));
}

// Reads `fd` to its end, or until more than `limit` bytes came: pipes, FIFOs, terminals,
// character devices, and regular files whose size is not known in advance.
InputFile readStream(int fd, const std::string& name, size_t limit) {
    std::string data;
    char chunk[65536];
    while (true) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errnoFailure(errno);
        }
        if (n == 0)
            break;
        if (data.size() + size_t(n) > limit)
            return tooLarge(limit);
        data.append(chunk, size_t(n));
    }
    InputFile out;
    out.buffer = llvm::MemoryBuffer::getMemBufferCopy(data, name);
    return out;
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

} // namespace

InputFile readInput(const std::string& path, size_t limit) {
    if (path == "-")
        return readStream(0, "<stdin>", limit);
    int raw;
    do
        raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    while (raw < 0 && errno == EINTR);
    if (raw < 0)
        return errnoFailure(errno);
    FileDescriptor fd(raw);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0)
        return errnoFailure(errno);
    if (S_ISDIR(st.st_mode))
        return failure(InputProblem::Kind::CannotRead, "it is a directory");
    // Pipes, devices, and files whose size says nothing (/proc): read up to the limit.
    if (!S_ISREG(st.st_mode) || st.st_size == 0)
        return readStream(fd.get(), path, limit);
    if (uint64_t(st.st_size) > limit)
        return tooLarge(limit, fmt::format(" ({} bytes)", uint64_t(st.st_size)));
    // A regular file of known size: LLVM maps it (large files) or reads it (small ones).
    auto buffer = llvm::MemoryBuffer::getOpenFile(fd.get(), path, uint64_t(st.st_size),
                                                  /*RequiresNullTerminator=*/true);
    if (!buffer)
        return failure(InputProblem::Kind::CannotRead, lowercaseFirst(buffer.getError().message()));
    InputFile out;
    out.buffer = std::move(*buffer);
    return out;
}

std::unique_ptr<llvm::MemoryBuffer> readInput(const std::string& path, DiagnosticEngine& diag,
                                              SourceRange site) {
    InputFile input = readInput(path);
    if (input.buffer)
        return std::move(input.buffer);
    std::string name = path == "-" ? "standard input" : "'" + path + "'";
    bool tooLarge = input.problem.kind == InputProblem::Kind::TooLarge;
    auto b = diag.error(tooLarge ? ErrorCode::E004 : ErrorCode::E001, site,
                        tooLarge ? fmt::format("{} is {}", name, input.problem.reason)
                                 : fmt::format("cannot read {}: {}", name, input.problem.reason));
    if (!site.isValid())
        b.file(path == "-" ? "<stdin>" : path);
    if (tooLarge)
        b.note(fmt::format("supc reads inputs of up to {} MiB", limits::kMaxInputBytes >> 20));
    return nullptr;
}

} // namespace supc
