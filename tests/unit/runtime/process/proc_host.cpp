// A supervising program for the test "the program killed by SIGKILL leaves no process child
// alive": it starts a tree of process children (one that waits, one with children in its
// process group, one whose child left the group, one that double-forked a daemon), prints
// "started" once all are ready, and waits to be killed.
//
//   proc_host CONTAINMENT PROC_CHILD MARKER [CGROUP_PARENT]
//       CONTAINMENT: cgroup | process_tree; CGROUP_PARENT: ProcessServiceOptions::cgroup_parent
#include "sup/sup.hpp"

#include <cstdio>
#include <string>
#include <unistd.h>

int main(int argc, char** argv) {
    if (argc != 4 && argc != 5) {
        std::fprintf(stderr,
                     "usage: proc_host cgroup|process_tree PROC_CHILD MARKER [CGROUP_PARENT]\n");
        return 2;
    }
    if (argc == 5) {
        sup::ProcessServiceOptions o;
        o.cgroup_parent = argv[4];
        sup::set_process_service_options(o);
    }
    std::string mode = argv[1], child = argv[2], marker = argv[3];
    sup::Containment c =
        mode == "cgroup" ? sup::Containment::cgroup : sup::Containment::process_tree;
    auto spec = [&](std::vector<std::string> args) {
        sup::ProcessSpec p(child, std::move(args));
        p.with_env("SUPC_TEST_MARKER", marker)
            .with_containment(c)
            .with_readiness(sup::Readiness::notify);
        return p;
    };
    sup::SupervisorSpec root;
    root.flags.strategy = sup::Strategy::one_for_one;
    root.children.push_back(sup::process("waits", spec({"ready", "pause"})));
    root.children.push_back(sup::process("grouped", spec({"fork", "3", "ready", "pause"})));
    root.children.push_back(sup::process("escaped", spec({"leave-group", "ready", "pause"})));
    root.children.push_back(sup::process("daemon", spec({"daemon", "ready", "pause"})));
    sup::RuntimeOptions o;
    o.threads = 2;
    sup::Runtime rt(o);
    auto tree = sup::start_tree(rt, root);
    if (!tree) {
        std::fprintf(stderr, "proc_host: start failed: %s\n", tree.reason().to_string().c_str());
        return 1;
    }
    std::printf("started\n");
    std::fflush(stdout);
    for (;;)
        pause();
}
