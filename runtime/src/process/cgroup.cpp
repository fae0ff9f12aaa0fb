#include "process/cgroup.hpp"

#include "process/proc_table.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace sup::detail::proc {

std::string os_error(int err) {
    return std::generic_category().message(err);
}

namespace {
/// The cgroup2 mount point, from /proc/self/mountinfo.
std::optional<std::string> cgroup2_mount() {
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        // id parent major:minor root mount-point options [optional...] - fstype source super
        std::size_t dash = line.find(" - ");
        if (dash == std::string::npos)
            continue;
        std::istringstream tail(line.substr(dash + 3));
        std::string fstype;
        tail >> fstype;
        if (fstype != "cgroup2")
            continue;
        std::istringstream head(line.substr(0, dash));
        std::string id, parent, dev, root, mount;
        head >> id >> parent >> dev >> root >> mount;
        if (root == "/")
            return mount;
    }
    return std::nullopt;
}

/// This process's cgroup v2 path ("0::/path" in /proc/self/cgroup).
std::optional<std::string> own_cgroup() {
    std::ifstream in("/proc/self/cgroup");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("0::", 0) == 0)
            return line.substr(3);
    return std::nullopt;
}

bool write_file(const std::string& path, const char* text) {
    int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    std::size_t n = std::strlen(text);
    bool ok = write(fd, text, n) == static_cast<ssize_t>(n);
    close(fd);
    return ok;
}

std::vector<std::string> subdirs(const std::string& dir) {
    std::vector<std::string> v;
    DIR* d = opendir(dir.c_str());
    if (!d)
        return v;
    while (dirent* de = readdir(d)) {
        if (de->d_name[0] == '.')
            continue;
        std::string p = dir + "/" + de->d_name;
        struct stat st {};
        if (de->d_type == DT_DIR ||
            (de->d_type == DT_UNKNOWN && stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode)))
            v.push_back(p);
    }
    closedir(d);
    return v;
}

void kill_procs_of(const std::string& dir) {
    std::ifstream in(dir + "/cgroup.procs");
    int pid;
    while (in >> pid)
        if (pid > 0)
            ::kill(pid, SIGKILL);
    for (const std::string& sub : subdirs(dir))
        kill_procs_of(sub);
}
} // namespace

std::optional<CgroupContainer> CgroupContainer::create(const std::string& parent_in,
                                                       const std::string& name, std::string& why) {
    std::string parent = parent_in;
    if (parent.empty()) {
        std::optional<std::string> mount = cgroup2_mount();
        if (!mount) {
            why = "no cgroup2 file system is mounted";
            return std::nullopt;
        }
        std::optional<std::string> own = own_cgroup();
        if (!own) {
            why = "this process is in no cgroup v2";
            return std::nullopt;
        }
        parent = *mount + (*own == "/" ? "" : *own);
    }
    CgroupContainer c;
    c.parent_ = parent;
    c.dir_ = parent + "/" + name;
    if (mkdir(c.dir_.c_str(), 0755) < 0) {
        why = "cannot make a cgroup in " + parent + ": " + os_error(errno);
        return std::nullopt;
    }
    // A cgroup we can make but not move processes into is of no use: check cgroup.procs.
    if (access((c.dir_ + "/cgroup.procs").c_str(), W_OK) < 0) {
        why = "cannot write " + c.dir_ + "/cgroup.procs: " + os_error(errno);
        rmdir(c.dir_.c_str());
        return std::nullopt;
    }
    c.has_kill_ = access((c.dir_ + "/cgroup.kill").c_str(), W_OK) == 0;
    return c;
}

CgroupContainer::CgroupContainer(CgroupContainer&& o) noexcept
    : parent_(std::move(o.parent_)), dir_(std::move(o.dir_)), has_kill_(o.has_kill_) {
    o.dir_.clear();
}

CgroupContainer::~CgroupContainer() {
    remove();
}

void CgroupContainer::remove() {
    if (!dir_.empty())
        remove_cgroup_tree(dir_);
    dir_.clear();
}

std::optional<ChildCgroup> make_child_cgroup(const CgroupContainer& c, const std::string& name,
                                             std::string& why) {
    ChildCgroup g;
    g.dir = c.dir() + "/" + name;
    if (mkdir(g.dir.c_str(), 0755) < 0) {
        why = "mkdir " + g.dir + ": " + os_error(errno);
        return std::nullopt;
    }
    g.procs_fd = open((g.dir + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC);
    g.events_fd = open((g.dir + "/cgroup.events").c_str(), O_RDONLY | O_CLOEXEC);
    if (g.procs_fd < 0 || g.events_fd < 0) {
        why = "open " + g.dir + ": " + os_error(errno);
        if (g.procs_fd >= 0)
            close(g.procs_fd);
        if (g.events_fd >= 0)
            close(g.events_fd);
        rmdir(g.dir.c_str());
        return std::nullopt;
    }
    return g;
}

bool kill_cgroup(const std::string& dir, bool has_kill) {
    if (has_kill && write_file(dir + "/cgroup.kill", "1"))
        return true;
    // Frozen, its processes cannot fork while we kill them one by one (SIGKILL still works).
    bool frozen = write_file(dir + "/cgroup.freeze", "1");
    kill_procs_of(dir);
    if (frozen)
        write_file(dir + "/cgroup.freeze", "0");
    return true;
}

bool cgroup_populated(int events_fd) {
    char buf[256];
    ssize_t n = pread(events_fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return false;
    buf[n] = 0;
    const char* p = std::strstr(buf, "populated ");
    return p && p[10] == '1';
}

bool remove_cgroup_tree(const std::string& dir) {
    for (const std::string& sub : subdirs(dir))
        remove_cgroup_tree(sub);
    return rmdir(dir.c_str()) == 0 || errno == ENOENT;
}

std::vector<std::string> stale_containers(const std::string& parent_dir) {
    std::vector<std::string> v;
    DIR* d = opendir(parent_dir.c_str());
    if (!d)
        return v;
    while (dirent* de = readdir(d)) {
        std::string n = de->d_name;
        if (n.rfind("supc-", 0) != 0)
            continue;
        int pid = 0;
        unsigned long long start = 0;
        int n_read = 0;
        if (std::sscanf(n.c_str() + 5, "%d-%llu-%*d%n", &pid, &start, &n_read) < 2 || pid <= 0)
            continue;
        std::optional<ProcEntry> e = read_proc(pid);
        if (e && e->start_time == start)
            continue; // its program runs
        v.push_back(parent_dir + "/" + n);
    }
    closedir(d);
    return v;
}

} // namespace sup::detail::proc
