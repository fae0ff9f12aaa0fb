// The process table, read from /proc: what process_tree containment needs to find a child's
// descendants (by parent, process group, session, or the tag in their environment).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace sup::detail::proc {

struct ProcEntry {
    pid_t pid = 0, ppid = 0, pgrp = 0, session = 0;
    char state = '?';
    std::uint64_t start_time = 0; // clock ticks after boot: with the pid, one incarnation
};

/// One process's /proc/<pid>/stat, if it exists.
std::optional<ProcEntry> read_proc(pid_t pid);
/// Every process now.
std::vector<ProcEntry> list_procs();
/// Whether /proc/<pid>/environ has the entry `entry` ("NAME=value") exactly. False if it cannot
/// be read (gone, a zombie, another user's).
bool environ_has(pid_t pid, std::string_view entry);

} // namespace sup::detail::proc
