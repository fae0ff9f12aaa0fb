// What `supc compile` writes besides the code (docs/codegen.md): the dependency file build
// systems read, and the writing of every output at once, all or none.
#pragma once

#include "supc/IR.h"

#include <functional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace supc::codegen {

/// A Makefile rule "TARGETS: DEPS" that GNU Make, Ninja and CMake all read back as these
/// paths (see escapeMakePath). Every path must have passed depfileProblem.
std::string makeDepfile(const std::vector<std::string>& targets,
                        const std::vector<std::string>& dependencies);

/// `path` as a depfile writes it: as GCC's -MD does (a space is "\ ", '#' is "\#", '$' is
/// "$$"), and ':' is "\:" (GNU Make and Ninja 1.10 or later read it so; unescaped, Make
/// takes it for a second rule separator). A backslash is written as it is: depfileProblem
/// refuses the paths where that would be misread.
std::string escapeMakePath(std::string_view path);

/// Why `path` cannot be written into a depfile so that GNU Make and Ninja (whose grammar
/// CMake's depfile reader follows) read it back unchanged, or "" when it can: Ninja ends a
/// path at a control character (tab and newline included) and at any of & ' " ; < > ? *
/// | ` ^; Make reads "NAME(MEMBER)" as an archive member; neither has an escape for a
/// backslash at the end of a path or before a space, '#' or ':'.
std::string depfileProblem(std::string_view path);

/// Every spec file `program` was checked from: the entry file and each import, std included.
std::vector<std::string> specDependencies(const ir::Program& program);

/// Whether two paths name the same file: the same device and inode when both exist; else
/// the same absolute path once the part of each that exists is resolved (symbolic links,
/// "." and "..") and the rest normalised, which is what a path that does not exist yet will
/// name once the directories on its way are made ("new/../app.sup" is "app.sup").
bool samePath(const std::string& a, const std::string& b);

/// How writeFiles renames a temporary into place (a test replaces it to fail midway).
using RenameFunction =
    std::function<std::error_code(const std::string& from, const std::string& to)>;

/// Writes each (path, contents), all or none, so that a reader never sees a partial file:
///  1. checks that no path is a directory and creates the missing parent directories
///     (remembering which it created);
///  2. writes every changed file to a temporary beside it (a file whose contents are
///     already those is left untouched, time stamp too, so a build does not recompile what
///     did not change);
///  3. keeps a hard link to each file about to be replaced, then renames the temporaries
///     into place, one after the other (each rename is atomic; the set is not);
///  4. on any failure, puts back what was renamed (the old file from its link, or removes a
///     file that did not exist), removes the temporaries and the directories it created,
///     and returns the error message ("" on success). What could not be put back (a
///     file system without hard links; a rename back that fails) is said in the message.
std::string writeFiles(const std::vector<std::pair<std::string, std::string>>& files,
                       const RenameFunction& rename = {});

} // namespace supc::codegen
