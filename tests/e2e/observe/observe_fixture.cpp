// A program for the observer's end-to-end tests (tests/e2e/observe/*.test.mjs): a tree of
// stand-in workers, observed on an address it prints, driven by commands on standard input.
//
//   observe_fixture [--tree app|hostile|big] [--address A] [--token T] [--root-intensity N]
//   stdout: "url http://127.0.0.1:PORT/", then one line per command done
//   stdin:  crash PATH [REASON]   the child's handler throws (a crash)
//           crash-root-child      crashes "repo" (a root child) once
//           quit                  stops the tree and exits (also at end of input)
//
// Hand-written (no generated code), so that it builds in the sanitizer builds too.
#include "sup/observe.hpp"
#include "sup/sup.hpp"
#include "sup/testing.hpp"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

namespace {

using sup::testing::dynamic_stand_in;
using sup::testing::stand_in;

sup::SupervisorSpec app_tree(int root_intensity) {
    sup::SupervisorSpec root;
    root.flags.strategy = sup::Strategy::rest_for_one;
    root.flags.intensity = root_intensity;
    root.children.push_back(stand_in("repo"));
    root.children.push_back(sup::supervisor("services", [] {
        sup::SupervisorSpec s;
        s.flags.strategy = sup::Strategy::one_for_all;
        s.flags.intensity = 3;
        s.children.push_back(
            stand_in("cache")
                .with_shutdown(sup::Shutdown::timeout(std::chrono::milliseconds(10000)))
                .with_name("cache"));
        s.children.push_back(stand_in("mailer")
                                 .with_restart(sup::Restart::transient)
                                 .with_shutdown(sup::Shutdown::brutal_kill()));
        return s;
    }));
    root.children.push_back(sup::supervisor("pool", [] {
        sup::SupervisorSpec s;
        s.flags.intensity = 5;
        for (int i = 1; i <= 3; ++i)
            s.children.push_back(stand_in("worker_" + std::to_string(i)));
        return s;
    }));
    root.children.push_back(sup::dynamic_supervisor("connections", [] {
        sup::DynamicSupervisorSpec d;
        d.flags.intensity = 100;
        d.flags.period = std::chrono::seconds(60);
        d.max_children = 10000;
        d.child = dynamic_stand_in().with_restart(sup::Restart::temporary);
        return d;
    }));
    return root;
}

// Ids that would run script if a page put them into HTML unescaped.
const char* const kHostile[] = {
    "<img src=x onerror=\"window.__pwned=1\">",
    "\"'><script>window.__pwned=2</script>",
    "</div><b onmouseover=alert(3)>bold</b>",
    "a&amp;b &lt;c&gt; \xE2\x80\xA8 caf\xC3\xA9",
};

sup::SupervisorSpec hostile_tree() {
    sup::SupervisorSpec root;
    root.flags.intensity = 10;
    for (const char* id : kHostile) // each registered under a name as hostile as its id
        root.children.push_back(stand_in(id).with_name(std::string("name:") + id));
    root.children.push_back(sup::supervisor("<svg onload=window.__pwned=4>", [] {
        sup::SupervisorSpec s;
        s.children.push_back(stand_in("x\"y'z"));
        return s;
    }));
    return root;
}

sup::SupervisorSpec big_tree() {
    sup::SupervisorSpec root;
    root.flags.intensity = 10;
    root.children.push_back(sup::supervisor("pool", [] {
        sup::SupervisorSpec s;
        s.flags.intensity = 100;
        for (int i = 1; i <= 2000; ++i)
            s.children.push_back(stand_in("worker_" + std::to_string(i)));
        return s;
    }));
    root.children.push_back(sup::dynamic_supervisor("connections", [] {
        sup::DynamicSupervisorSpec d;
        d.flags.intensity = 100;
        d.child = dynamic_stand_in().with_restart(sup::Restart::temporary);
        return d;
    }));
    return root;
}

void crash(const sup::Pid& p, std::string reason) {
    sup::cast(p.as<sup::testing::StandIn>(), sup::testing::StandIn::Crash{std::move(reason)});
}

} // namespace

int main(int argc, char** argv) {
    std::string tree_kind = "app", address = "127.0.0.1:0", token;
    int root_intensity = 3;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--tree" && i + 1 < argc)
            tree_kind = argv[++i];
        else if (a == "--address" && i + 1 < argc)
            address = argv[++i];
        else if (a == "--token" && i + 1 < argc)
            token = argv[++i];
        else if (a == "--root-intensity" && i + 1 < argc)
            root_intensity = std::atoi(argv[++i]);
        else {
            std::fprintf(stderr, "observe_fixture: unknown argument '%s'\n", a.c_str());
            return 64;
        }
    }
    sup::RuntimeOptions ro;
    ro.log_level = sup::LogLevel::none;
    sup::Runtime rt(ro);
    sup::SupervisorSpec spec = tree_kind == "hostile" ? hostile_tree()
                               : tree_kind == "big"   ? big_tree()
                                                      : app_tree(root_intensity);
    auto started = sup::start_tree(rt, spec);
    if (!started.started()) {
        std::fprintf(stderr, "observe_fixture: the tree did not start\n");
        return 1;
    }
    sup::Tree tree = started.value();
    if (tree_kind != "hostile") {
        int n = tree_kind == "big" ? 10000 : 2;
        for (int i = 0; i < n; ++i)
            (void)sup::start_child(tree.lookup("connections"));
    }
    sup::ObserveOptions o;
    o.address = address;
    o.control_token = token;
    o.title = "observe fixture (" + tree_kind + ")";
    auto observer = sup::observe(rt, tree, o);
    if (!observer) {
        std::fprintf(stderr, "observe_fixture: %s\n", observer.error().c_str());
        return 1;
    }
    std::printf("url %s\n", observer.value().url().c_str());
    std::fflush(stdout);

    std::string line;
    while (std::getline(std::cin, line)) {
        if (line == "quit")
            break;
        if (line.rfind("crash ", 0) == 0) {
            std::string rest = line.substr(6);
            auto space = rest.find(' ');
            std::string path = rest.substr(0, space);
            std::string reason = space == std::string::npos ? "crash" : rest.substr(space + 1);
            sup::Pid p = tree.lookup(path);
            if (p)
                crash(p, reason);
            std::printf("%s %s\n", p ? "crashed" : "no child", path.c_str());
        } else if (line == "crash-root-child") {
            sup::Pid p = tree.lookup("repo");
            if (p)
                crash(p, "crash");
            std::printf("%s repo\n", p ? "crashed" : "no child");
        } else {
            std::printf("unknown command\n");
        }
        std::fflush(stdout);
    }
    observer.value().stop();
    tree.stop();
    std::printf("stopped\n");
    return 0;
}
