// Reading inputs: one limit for every kind of file, and nothing read past it.
#include "supc/InputFile.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace supc;

namespace {

std::string tempPath(const std::string& name) {
    return std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/supc-input-" +
           std::to_string(::getpid()) + "-" + name;
}

} // namespace

TEST_CASE("readInput reads a regular file whole, NUL-terminated, named by its path") {
    std::string path = tempPath("small.sup");
    std::ofstream(path) << "worker W = \"w\" from \"w\";\n";
    InputFile in = readInput(path, 1000);
    REQUIRE(in.buffer);
    CHECK(in.buffer->getBuffer() == "worker W = \"w\" from \"w\";\n");
    CHECK(in.buffer->getBufferEnd()[0] == '\0');
    CHECK(in.buffer->getBufferIdentifier() == path);
    // One byte over the limit: too large, its size said.
    InputFile over = readInput(path, 10);
    CHECK_FALSE(over.buffer);
    CHECK(over.problem.kind == InputProblem::Kind::TooLarge);
    CHECK(over.problem.reason == "larger than 10 bytes (25 bytes)");
    std::remove(path.c_str());
}

TEST_CASE("readInput: missing files and directories cannot be read") {
    InputFile missing = readInput(tempPath("does-not-exist.sup"));
    CHECK(missing.problem.kind == InputProblem::Kind::CannotRead);
    CHECK(missing.problem.reason == "no such file or directory");
    InputFile dir = readInput("/");
    CHECK(dir.problem.kind == InputProblem::Kind::CannotRead);
    CHECK(dir.problem.reason == "it is a directory");
}

TEST_CASE("readInput stops an endless device at the limit") {
    InputFile zero = readInput("/dev/zero", 1 << 20);
    CHECK_FALSE(zero.buffer);
    CHECK(zero.problem.kind == InputProblem::Kind::TooLarge);
    CHECK(zero.problem.reason == "larger than 1 MiB");
    // An empty device is an empty input, not an error.
    InputFile null = readInput("/dev/null");
    REQUIRE(null.buffer);
    CHECK(null.buffer->getBufferSize() == 0);
}

TEST_CASE("readInput reads files whose size says nothing (/proc) to their end") {
    InputFile status = readInput("/proc/self/status");
    REQUIRE(status.buffer);
    CHECK(status.buffer->getBuffer().startswith("Name:"));
}
