// What the example programs print, and how they check it: a Story tells every supervisor
// event as it happens, between chapters and remarks written by the program, and keeps the
// events so that the program can compare what happened with what it promised. A program
// whose story deviates exits non-zero (its end-to-end test fails).
//
//   examples::Story story(rt);                 // before the tree starts
//   story.chapter("A fault: the database pool crashes");
//   ...inject the fault...
//   story.settle();                            // wait until nothing runs any more
//   story.expect_events("the root", "", {"child_exited database boom", ...});
//   return story.finish();
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <sup/events.hpp>
#include <sup/runtime.hpp>
#include <sup/testing.hpp>
#include <vector>

namespace examples {

class Story {
public:
    explicit Story(sup::Runtime& rt) : rt_(rt) {
        sub_ = rt.events().subscribe([this](const sup::SupervisorEvent& e) { tell(e); });
    }
    Story(const Story&) = delete;
    Story& operator=(const Story&) = delete;

    /// Starts a new part of the story; expect_events looks at the events from here on.
    void chapter(std::string_view title) {
        std::lock_guard<std::mutex> l(m_);
        std::printf("\n== %.*s ==\n", int(title.size()), title.data());
        std::fflush(stdout);
        chapter_start_ = events_.size();
    }

    /// A remark of the program's, between events.
    void say(std::string_view text) {
        std::lock_guard<std::mutex> l(m_);
        std::printf("   %.*s\n", int(text.size()), text.data());
        std::fflush(stdout);
    }

    /// Waits until no actor runs or is runnable and no message is in flight: whatever the
    /// last step set off (crashes, restarts, replies) has happened. A runtime that does not
    /// settle within `limit` is a deviation.
    void settle(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
        if (!rt_.wait_quiescent_for(limit))
            fail("the runtime did not settle within " + std::to_string(limit.count()) + " ms");
    }

    /// The events of this chapter of the supervisor at `supervisor_path` ("" is the root),
    /// one line each as sup::testing::EventLog writes them: "child_exited database boom".
    std::vector<std::string> events_of(std::string_view supervisor_path) const {
        std::lock_guard<std::mutex> l(m_);
        std::vector<std::string> out;
        for (std::size_t i = chapter_start_; i < events_.size(); ++i)
            if (events_[i].supervisor_path == supervisor_path)
                out.push_back(sup::testing::EventLog::line(events_[i]));
        return out;
    }

    /// The events of this chapter that `pred` selects.
    std::vector<sup::SupervisorEvent>
    events_where(const std::function<bool(const sup::SupervisorEvent&)>& pred) const {
        std::lock_guard<std::mutex> l(m_);
        std::vector<sup::SupervisorEvent> out;
        for (std::size_t i = chapter_start_; i < events_.size(); ++i)
            if (pred(events_[i]))
                out.push_back(events_[i]);
        return out;
    }

    /// Checks that the supervisor at `supervisor_path` did exactly `expected` in this chapter.
    void expect_events(std::string_view who, std::string_view supervisor_path,
                       const std::vector<std::string>& expected) {
        std::vector<std::string> seen = events_of(supervisor_path);
        if (seen == expected) {
            say("checked: " + std::string(who) + " did exactly what it should");
            return;
        }
        std::string detail = std::string(who) + " deviated from its story\n  expected:";
        for (const std::string& line : expected)
            detail += "\n    " + line;
        detail += "\n  seen:";
        for (const std::string& line : seen)
            detail += "\n    " + line;
        fail(detail);
    }

    /// Checks a fact of the story.
    void expect(bool holds, std::string_view fact) {
        if (holds)
            say("checked: " + std::string(fact));
        else
            fail("not so: " + std::string(fact));
    }

    /// A deviation: reported on stderr, and the program's exit status becomes 1.
    void fail(const std::string& what) {
        std::lock_guard<std::mutex> l(m_);
        std::fflush(stdout);
        std::fprintf(stderr, "STORY DEVIATION: %s\n", what.c_str());
        ++failures_;
    }

    /// The program's exit status: 0 when everything went as told.
    int finish() {
        sub_.reset();
        std::lock_guard<std::mutex> l(m_);
        if (failures_ == 0)
            std::printf("\nThe story went as expected.\n");
        else
            std::printf("\n%d deviation(s) from the expected story (see stderr).\n", failures_);
        std::fflush(stdout);
        return failures_ == 0 ? 0 : 1;
    }

private:
    // Runs on the supervisor's thread, in the order its steps happen.
    void tell(const sup::SupervisorEvent& e) {
        std::lock_guard<std::mutex> l(m_);
        events_.push_back(e);
        std::string what = e.path().empty() ? std::string("(root)") : e.path();
        std::string reason;
        switch (e.kind) {
        case sup::EventKind::child_exited:
        case sup::EventKind::child_terminated:
        case sup::EventKind::shutdown_error:
        case sup::EventKind::start_failed:
        case sup::EventKind::supervisor_stopped:
            reason = "  (" + e.reason.to_string() + ")";
            break;
        default:
            break;
        }
        std::printf("   | %-18s %s%s\n", sup::to_string(e.kind), what.c_str(), reason.c_str());
        std::fflush(stdout);
    }

    sup::Runtime& rt_;
    mutable std::mutex m_;
    std::vector<sup::SupervisorEvent> events_;
    std::size_t chapter_start_ = 0;
    int failures_ = 0;
    sup::EventBus::Subscription sub_;
};

} // namespace examples
