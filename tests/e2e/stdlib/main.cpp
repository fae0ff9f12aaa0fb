// Starts app.sup's tree (every std kind), exercises each component once through the generated
// handle, checks the results, and stops the tree: the generated code and the standard library
// agree on every kind's class, header and constructor arguments.
#include "app.sup.hpp"

#include <cstdio>
#include <stop_token>
#include <string>
#include <sup/std/std.hpp>
#include <thread>
#include <vector>

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    if (!ok)
        ++failures;
}

using sup::std_lib::Registry;

/// Registers itself in both registries when it starts, and records what it is published.
class Subscriber : public sup::Actor<Subscriber> {
public:
    Subscriber(sup::Pid topics, std::vector<std::string>* got)
        : topics_(std::move(topics)), got_(got) {}
    sup::InitResult init() override {
        if (!Registry::register_key(sup::std_lib::RegistryRef("e2e_names"), "subscriber"))
            return sup::InitResult::stop(sup::ExitReason::error("no name"));
        if (!Registry::register_key(topics_, "news"))
            return sup::InitResult::stop(sup::ExitReason::error("no subscription"));
        return sup::InitResult::ok();
    }
    struct Got {};
    std::vector<std::string> handle_call(Got) const { return *got_; }
    void handle_info(sup::Message m) {
        if (auto* s = m.get_if<std::string>())
            got_->push_back(*s);
    }

private:
    sup::Pid topics_;
    std::vector<std::string>* got_;
};
} // namespace

int main() {
    sup::Runtime rt(sup::RuntimeOptions{.threads = 2, .log_level = sup::LogLevel::none});
    auto started = std_e2e::start_App(rt);
    if (!started.started()) {
        std::printf("FAILED: start_App: %s\n", started.reason().to_string().c_str());
        return 1;
    }
    const std_e2e::AppTree& tree = started.value();

    // std.Registry: the named one is found by its name; entries go when their actor dies.
    sup::std_lib::RegistryRef names(rt, "e2e_names");
    expect(names.resolve() == tree.names(), "the registry registered itself as e2e_names");
    expect(Registry::partitions(names).value_or(0) == 2, "partitions = 2");
    expect(!Registry::unique(tree.topics()).value_or(true), "topics has duplicate keys");
    std::vector<std::string> got; // the subscriber's; read through calls
    auto sub = rt.spawn<Subscriber>(tree.topics(), &got);
    expect(sub.started(), "a subscriber registers in both registries");
    if (sub.started()) {
        auto found = Registry::lookup(names, "subscriber");
        expect(found.size() == 1 && found[0].pid == sub.value(), "lookup finds it by name");
        expect(Registry::publish(tree.topics(), "news", std::string("hello")) == 1,
               "publish reaches the one subscriber");
        auto seen = sup::call(sub.value(), Subscriber::Got{});
        expect(seen.has_value() && seen.value() == std::vector<std::string>{"hello"},
               "the subscriber got the message");
        sup::kill(sub.value());
        rt.wait_exit(sub.value());
        expect(Registry::lookup(names, "subscriber").empty() &&
                   Registry::lookup(tree.topics(), "news").empty(),
               "a dead subscriber leaves both registries");
    }

    // std.TaskSupervisor: a result, and a crash that does not take the caller down.
    using sup::std_lib::TaskSupervisor;
    auto answer = TaskSupervisor::async_nolink(tree.tasks(), [] { return 42; }).await();
    expect(answer.has_value() && answer.value() == 42, "async_nolink + await: 42");
    auto crash = TaskSupervisor::async_nolink(tree.tasks(), []() -> int {
                     throw std::runtime_error("task failed");
                 }).await();
    expect(!crash.has_value() && crash.error().code == sup::std_lib::TaskError::Code::exited,
           "a crashing task is an error result");
    // The settings the spec gives it: name, intensity, max_children, its tasks' restart and
    // shutdown.
    expect(rt.whereis("e2e_tasks") == tree.tasks(), "the task supervisor is named e2e_tasks");
    auto tasks = sup::inspect(tree.tasks());
    expect(tasks.has_value() && tasks.value().flags.intensity == 5 &&
               tasks.value().flags.period == std::chrono::seconds(2) &&
               tasks.value().max_children == std::optional<std::size_t>(4) &&
               tasks.value().child_template &&
               tasks.value().child_template->restart == sup::Restart::transient &&
               tasks.value().child_template->shutdown ==
                   sup::Shutdown::timeout(std::chrono::milliseconds(2000)),
           "intensity 5 per 2s, max_children 4, transient tasks stopped within 2 s");
    auto cancelled = TaskSupervisor::async_nolink(tree.tasks(), [](std::stop_token st) {
        while (!st.stop_requested())
            std::this_thread::yield();
        return 1;
    });
    expect(!cancelled.shutdown().has_value() &&
               rt.wait_exit(cancelled.pid()) == sup::ExitReason::shutdown(),
           "a task that honours its stop_token is shut down at once");

    // std.PartitionSupervisor: 3 partitions of Indexed, each given its number; 7 -> 1.
    using sup::std_lib::PartitionSupervisor;
    expect(PartitionSupervisor::partitions(tree.parts()).value_or(0) == 3, "3 partitions");
    auto p = PartitionSupervisor::call<std_e2e::Indexed>(tree.parts(), 7, std_e2e::Get{});
    expect(p.has_value() && p.value() == 1, "key 7 goes to partition 1 (rem(7, 3))");

    // std.Pool: 2 Counters started at 3; a crash in a job, and the pool serves again.
    using sup::std_lib::Pool;
    auto n = Pool::run<std_e2e::Counter>(tree.pool(), std_e2e::Get{});
    expect(n.has_value() && n.value() == 3,
           "the pool's workers were built from Counter(start = 3)");
    auto failed = Pool::run<std_e2e::Counter>(tree.pool(), std_e2e::Crash{});
    expect(!failed.has_value() && failed.error().code == sup::CallError::Code::exited,
           "a job whose worker crashes fails");
    auto again = Pool::run<std_e2e::Counter>(tree.pool(), std_e2e::Get{});
    expect(again.has_value() && again.value() == 3, "the pool keeps serving");
    auto status = Pool::status(tree.pool());
    expect(status.has_value() && status.value().size == 2, "status: size 2");

    auto reason = tree.stop();
    expect(reason && reason->is_shutdown(), "the tree stops with reason shutdown");
    return failures == 0 ? 0 : 1;
}
