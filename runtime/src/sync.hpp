// Small synchronization primitives: a spin lock for the short critical sections of mailboxes
// and completions, and a parker (a binary semaphore) each waiting thread sleeps on.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace sup::detail {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
}

class SpinLock {
public:
    void lock() noexcept {
        for (int spins = 0;; ++spins) {
            if (!flag_.exchange(true, std::memory_order_acquire))
                return;
            while (flag_.load(std::memory_order_relaxed)) {
                if (spins < 64) {
                    cpu_relax();
                    ++spins;
                } else {
                    std::this_thread::yield();
                }
            }
        }
    }
    bool try_lock() noexcept { return !flag_.exchange(true, std::memory_order_acquire); }
    void unlock() noexcept { flag_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> flag_{false};
};

/// Lock guard for SpinLock (and any BasicLockable).
template <class L>
class Guard {
public:
    explicit Guard(L& l) : l_(l) { l_.lock(); }
    ~Guard() { l_.unlock(); }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

private:
    L& l_;
};

/// A thread parks until another unparks it. An unpark before the park is remembered (one token).
class Parker {
public:
    void park() {
        std::unique_lock<std::mutex> l(m_);
        cv_.wait(l, [&] { return token_; });
        token_ = false;
    }
    /// False on timeout.
    bool park_until(std::chrono::steady_clock::time_point deadline) {
        std::unique_lock<std::mutex> l(m_);
        if (!cv_.wait_until(l, deadline, [&] { return token_; }))
            return false;
        token_ = false;
        return true;
    }
    void unpark() {
        {
            std::lock_guard<std::mutex> l(m_);
            token_ = true;
        }
        cv_.notify_one();
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    bool token_ = false;
};

} // namespace sup::detail
