// Helpers shared by the runtime's tests.
#pragma once

#include "sup/sup.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace test {

using namespace std::chrono_literals;

/// A thread-safe list of strings that a test can wait on (with a real-time timeout).
class Recorder {
public:
    void add(std::string s) {
        {
            std::lock_guard<std::mutex> l(m_);
            items_.push_back(std::move(s));
        }
        cv_.notify_all();
    }
    std::vector<std::string> items() const {
        std::lock_guard<std::mutex> l(m_);
        return items_;
    }
    /// Waits until at least `n` items were recorded; false after 5 s.
    bool wait_count(std::size_t n, std::chrono::milliseconds t = 5000ms) const {
        std::unique_lock<std::mutex> l(m_);
        return cv_.wait_for(l, t, [&] { return items_.size() >= n; });
    }
    void clear() {
        std::lock_guard<std::mutex> l(m_);
        items_.clear();
    }

private:
    mutable std::mutex m_;
    mutable std::condition_variable cv_;
    std::vector<std::string> items_;
};

/// A one-shot latch a stuck handler waits on (released by the test).
class Latch {
public:
    void release() {
        {
            std::lock_guard<std::mutex> l(m_);
            open_ = true;
        }
        cv_.notify_all();
    }
    void wait() {
        std::unique_lock<std::mutex> l(m_);
        cv_.wait(l, [&] { return open_; });
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool open_ = false;
};

/// Records what it receives: Down, ExitSignal and posted strings.
class Watcher : public sup::Actor<Watcher> {
public:
    explicit Watcher(Recorder* r, bool trap = false) : r_(r), trap_(trap) {}
    sup::InitResult init() override {
        trap_exit(trap_);
        return sup::InitResult::ok();
    }
    struct Monitor {
        sup::Pid pid;
    };
    struct Link {
        sup::Pid pid;
    };
    sup::MonitorRef handle_call(Monitor m) { return monitor(m.pid); }
    bool handle_call(Link l) {
        link(l.pid);
        return true;
    }
    void handle_info(sup::Down d) { r_->add("down " + d.reason.to_string()); }
    void handle_info(sup::ExitSignal s) { r_->add("exit " + s.reason.to_string()); }
    void terminate(const sup::ExitReason& r) override { r_->add("terminate " + r.to_string()); }

private:
    Recorder* r_;
    bool trap_;
};

inline sup::RuntimeOptions quiet(unsigned threads = 2) {
    sup::RuntimeOptions o;
    o.threads = threads;
    o.log_level = sup::LogLevel::none;
    return o;
}

inline sup::RuntimeOptions virtual_time(std::shared_ptr<sup::VirtualClock> clock,
                                        bool deterministic = true) {
    sup::RuntimeOptions o;
    o.threads = deterministic ? 1 : 2;
    o.deterministic = deterministic;
    o.clock = std::move(clock);
    o.log_level = sup::LogLevel::none;
    return o;
}

} // namespace test
