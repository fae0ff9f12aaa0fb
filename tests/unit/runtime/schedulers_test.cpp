// SUPC_SCHEDULERS: the default number of scheduler threads, and the warning when it is unusable.
#include "sup/gen.hpp"
#include "sup/gen_spec.hpp"
#include "sup/schedulers.hpp"
#include "sup_helpers.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>

using namespace test;

namespace {

/// Sets SUPC_SCHEDULERS for a scope (each test case runs in its own process under CTest).
class SchedulersEnv {
public:
    explicit SchedulersEnv(const char* value) {
        if (const char* old = std::getenv("SUPC_SCHEDULERS"))
            old_ = old;
        if (value)
            ::setenv("SUPC_SCHEDULERS", value, 1);
        else
            ::unsetenv("SUPC_SCHEDULERS");
    }
    ~SchedulersEnv() {
        if (old_)
            ::setenv("SUPC_SCHEDULERS", old_->c_str(), 1);
        else
            ::unsetenv("SUPC_SCHEDULERS");
    }

private:
    std::optional<std::string> old_;
};

std::string warning_for(const char* text, unsigned threads = 6) {
    return "SUPC_SCHEDULERS='" + std::string(text) +
           "' is not a whole number from 1 to 1024; using " + std::to_string(threads) +
           " (one per hardware thread)";
}

} // namespace

TEST_CASE("scheduler_count: SUPC_SCHEDULERS from 1 to 1024, else the hardware threads and a "
          "warning") {
    CHECK(sup::scheduler_count(nullptr, 6).threads == 6);
    CHECK(sup::scheduler_count(nullptr, 6).warning.empty());
    CHECK(sup::scheduler_count(nullptr, 0).threads == 1); // unknown hardware: one
    for (auto [text, n] :
         {std::pair{"1", 1u}, {"3", 3u}, {" 8\t", 8u}, {"1024", 1024u}, {"007", 7u}}) {
        sup::SchedulerCount c = sup::scheduler_count(text, 6);
        CHECK(c.threads == n);
        CHECK(c.warning.empty());
    }
    for (const char* bad : {"abc", "0", "-1", "1025", "99999999999999999999", "", " ", "4x", "+4",
                            "4 4", "0x10", "1e3"}) {
        sup::SchedulerCount c = sup::scheduler_count(bad, 6);
        CHECK(c.threads == 6);
        CHECK(c.warning == warning_for(bad));
    }
    // Bytes that would reach a terminal are escaped.
    CHECK(sup::scheduler_count("\x1b[31m\\", 2).warning == warning_for("\\x1b[31m\\x5c", 2));
}

TEST_CASE("a runtime with threads = 0 takes SUPC_SCHEDULERS") {
    SchedulersEnv env("3");
    sup::RuntimeOptions o;
    o.log_sink = [](std::string_view) { FAIL("nothing to report"); };
    sup::Runtime rt(o);
    CHECK(rt.threads() == 3);
    CHECK(sup::gen::schedulers() == 3); // what a spec built now, outside any runtime, counts
}

TEST_CASE("an unusable SUPC_SCHEDULERS is reported through the runtime's log and ignored") {
    unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    for (const char* bad : {"abc", "0", "-1", "99999999999999999999"}) {
        SchedulersEnv env(bad);
        Recorder log;
        sup::RuntimeOptions o;
        o.log_sink = [&](std::string_view r) { log.add(std::string(r)); };
        {
            sup::Runtime rt(o);
            CHECK(rt.threads() == hardware);
        }
        CHECK(log.items() ==
              Lines{"=WARNING REPORT====\n    " + warning_for(bad, hardware) + "\n"});
    }
    SECTION("not with explicit threads, nor in deterministic mode, nor with logs off") {
        SchedulersEnv env("abc");
        Recorder log;
        sup::RuntimeOptions o;
        o.log_sink = [&](std::string_view r) { log.add(std::string(r)); };
        o.threads = 2;
        {
            sup::Runtime rt(o);
            CHECK(rt.threads() == 2);
        }
        o.threads = 0;
        o.deterministic = true;
        {
            sup::Runtime rt(o);
            CHECK(rt.threads() == 1);
        }
        o.deterministic = false;
        o.log_level = sup::LogLevel::none;
        {
            sup::Runtime rt(o);
            CHECK(rt.threads() == hardware);
        }
        CHECK(log.items().empty());
    }
}

TEST_CASE("schedulers() outside actors counts the one live runtime's, as "
          "Supervised(rt, App_spec()) builds the spec before the runtime sees it") {
    SchedulersEnv env("5");             // what a runtime started now would have
    CHECK(sup::gen::schedulers() == 5); // no runtime alive
    sup::Runtime rt(sup::RuntimeOptions{.threads = 3});
    CHECK(sup::gen::schedulers() == 3); // the only runtime: no doubt
    {
        sup::Runtime other(sup::RuntimeOptions{.threads = 2});
        CHECK(sup::gen::schedulers() == 5); // two runtimes: no guess
        sup::gen::RuntimeScope scope(other);
        CHECK(sup::gen::schedulers() == 2); // start_NAME(other) says which
    }
    CHECK(sup::gen::schedulers() == 3);
}
