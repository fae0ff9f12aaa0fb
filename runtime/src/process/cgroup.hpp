// cgroup v2 for process children: each child in a cgroup of its own, under one container
// cgroup per process service ("supc-<pid>-<start time>-<n>", made under the program's own
// cgroup or a configured parent). A cgroup holds every descendant whatever it does (setsid,
// double fork): killing it (cgroup.kill) kills them all, and "populated 0" in cgroup.events
// (an event, not a poll) says they are gone.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sup::detail::proc {

class CgroupContainer {
public:
    /// Makes the container under `parent` ("" = this program's own cgroup). nullopt, with the
    /// reason in `why`, if cgroup v2 is not mounted or not writable here.
    static std::optional<CgroupContainer> create(const std::string& parent, const std::string& name,
                                                 std::string& why);
    CgroupContainer(CgroupContainer&&) noexcept;
    CgroupContainer& operator=(CgroupContainer&&) = delete;
    ~CgroupContainer();

    const std::string& dir() const { return dir_; }
    const std::string& parent_dir() const { return parent_; }
    bool has_kill() const { return has_kill_; }
    /// Removes the container (its children's cgroups must be gone). Done by the destructor.
    void remove();

private:
    CgroupContainer() = default;
    std::string parent_, dir_;
    bool has_kill_ = false;
};

/// One child's cgroup.
struct ChildCgroup {
    std::string dir;
    int procs_fd = -1;  // cgroup.procs, for writing: the child moves itself in
    int events_fd = -1; // cgroup.events, polled with EPOLLPRI
};

/// Makes a cgroup `name` in the container; its descriptors are close-on-exec.
std::optional<ChildCgroup> make_child_cgroup(const CgroupContainer& c, const std::string& name,
                                             std::string& why);
/// Kills every process in the cgroup `dir` (and its sub-cgroups): cgroup.kill, or without it
/// (Linux < 5.14) the frozen cgroup's processes one by one. False if it could not.
bool kill_cgroup(const std::string& dir, bool has_kill);
/// Whether cgroup.events says "populated 1"; re-arms the EPOLLPRI notification.
bool cgroup_populated(int events_fd);
/// rmdir of `dir` and its sub-cgroups, deepest first. False if some remain (still populated).
bool remove_cgroup_tree(const std::string& dir);

/// Containers left by services of programs that died ("supc-<pid>-<start time>-*" whose pid
/// runs no more, or runs another program); their directories.
std::vector<std::string> stale_containers(const std::string& parent_dir);

/// A readable description of `err` (strerror).
std::string os_error(int err);

} // namespace sup::detail::proc
