// What observers read from a running runtime beyond OTP's API: the scheduler's figures, and
// the hook generated start functions run (how SUPC_OBSERVE attaches an observer).
#include "helpers.hpp"
#include "sup/gen.hpp"
#include "sup/testing.hpp"

#include <atomic>
#include <catch2/catch.hpp>

using namespace std::chrono_literals;

namespace {
/// Sends itself `n` messages, one after the other: n steps on scheduler threads.
class Looper : public sup::Actor<Looper> {
public:
    struct Go {
        int n;
    };
    void handle_info(Go g) {
        if (g.n > 0)
            sup::send(self(), Go{g.n - 1});
    }
};
} // namespace

TEST_CASE("scheduler_stats: schedulers, threads, and steps that grow with the work done") {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 2});
    rt.wait_quiescent();
    sup::SchedulerStats before = rt.scheduler_stats();
    REQUIRE(before.schedulers == 2);
    REQUIRE(before.threads >= 2);
    REQUIRE(before.run_queue == 0);
    REQUIRE(before.active == 0);

    auto looper = rt.spawn<Looper>().value();
    sup::send(looper, Looper::Go{1000});
    rt.wait_quiescent();
    sup::SchedulerStats after = rt.scheduler_stats();
    REQUIRE(after.steps > before.steps); // turns of up to a batch of messages each
    REQUIRE(after.active == 0);
    REQUIRE(after.run_queue == 0);
    REQUIRE(after.idle_threads <= after.threads);
}

namespace {
std::atomic<int> hook_calls{0};
std::atomic<int> attachments_alive{0};
sup::Pid hook_root;

std::shared_ptr<void> test_hook(sup::Runtime&, const sup::Tree& tree) {
    ++hook_calls;
    hook_root = tree.root();
    ++attachments_alive;
    return std::shared_ptr<void>(new int(0), [](void* p) {
        delete static_cast<int*>(p);
        --attachments_alive;
    });
}
} // namespace

TEST_CASE("gen::start runs the started hook once; what it returns lives as long as the handle") {
    sup::gen::StartedHook previous = sup::gen::set_started_hook(&test_hook);
    {
        sup::Runtime rt;
        auto started = sup::gen::start<sup::gen::TreeHandle>(rt, [] {
            sup::SupervisorSpec s;
            s.children.push_back(sup::testing::stand_in("a"));
            return s;
        });
        REQUIRE(started.started());
        REQUIRE(hook_calls == 1);
        REQUIRE(hook_root == started.value().root());
        REQUIRE(attachments_alive == 1);
        {
            sup::gen::TreeHandle copy = started.value();
            REQUIRE(attachments_alive == 1);
        }
        REQUIRE(attachments_alive == 1);
        started.value().stop();
        started = sup::gen::start<sup::gen::TreeHandle>(rt, [] { return sup::SupervisorSpec{}; });
        REQUIRE(hook_calls == 2);
        REQUIRE(attachments_alive == 1); // the first handle's went with it
    }
    REQUIRE(attachments_alive == 0);
    sup::gen::set_started_hook(previous);
    hook_root = sup::Pid();
}
