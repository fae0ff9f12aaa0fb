// Handles to actors. A Pid names one actor incarnation: it never designates a successor, and
// everything done through a Pid of a dead actor fails cleanly (send returns false, call returns
// CallError::noproc, monitor delivers a `down` with reason noproc).
// Ref<T> is a Pid that statically knows the actor's class, so that messages are checked against
// T's handlers at compile time.
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <typeinfo>
#include <utility>

namespace sup {

namespace detail {
/// The part of an actor's control block that handles need inline.
struct CellHeader {
    std::atomic<std::uint32_t> refs{1};
    std::uint64_t id = 0;
    const std::type_info* type = nullptr;

    void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
    void release() noexcept;
};
void destroy_cell(CellHeader*) noexcept;
bool cell_alive(const CellHeader*) noexcept;

inline void CellHeader::release() noexcept {
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
        destroy_cell(this);
}
struct Access;
} // namespace detail

template <class T>
class Ref;

class Pid {
public:
    Pid() = default;
    Pid(const Pid& o) noexcept : c_(o.c_) {
        if (c_)
            c_->retain();
    }
    Pid(Pid&& o) noexcept : c_(std::exchange(o.c_, nullptr)) {}
    Pid& operator=(Pid o) noexcept {
        std::swap(c_, o.c_);
        return *this;
    }
    ~Pid() {
        if (c_)
            c_->release();
    }

    explicit operator bool() const { return c_ != nullptr; }
    /// True while the actor runs (false for an empty Pid).
    bool alive() const { return c_ && detail::cell_alive(c_); }
    /// A number unique within its runtime (0 for an empty Pid); two runtimes number alike.
    std::uint64_t id() const { return c_ ? c_->id : 0; }
    /// "<0.ID.0>", as Erlang prints pids; "undefined" when empty.
    std::string to_string() const {
        return c_ ? "<0." + std::to_string(c_->id) + ".0>" : "undefined";
    }

    /// This actor as a Ref<T>, or an empty Ref if its class is not exactly T.
    template <class T>
    Ref<T> as() const;

    friend bool operator==(const Pid& a, const Pid& b) { return a.c_ == b.c_; }
    friend std::strong_ordering operator<=>(const Pid& a, const Pid& b) {
        return a.id() <=> b.id();
    }
    friend std::ostream& operator<<(std::ostream& os, const Pid& p) { return os << p.to_string(); }

    detail::CellHeader* cell() const { return c_; }

protected:
    friend struct detail::Access;
    /// Adopts one reference.
    explicit Pid(detail::CellHeader* c) noexcept : c_(c) {}
    detail::CellHeader* c_ = nullptr;
};

template <class T>
class Ref : public Pid {
public:
    Ref() = default;

private:
    friend class Pid;
    friend struct detail::Access;
    explicit Ref(detail::CellHeader* c) noexcept : Pid(c) {}
};

template <class T>
Ref<T> Pid::as() const {
    if (!c_ || !c_->type || *c_->type != typeid(T))
        return Ref<T>();
    c_->retain();
    return Ref<T>(c_);
}

/// Identifies one monitor (OTP's monitor reference).
struct MonitorRef {
    Pid target;
    std::uint64_t id = 0;
    explicit operator bool() const { return id != 0; }
    friend bool operator==(const MonitorRef& a, const MonitorRef& b) { return a.id == b.id; }
};

} // namespace sup

template <>
struct std::hash<sup::Pid> {
    std::size_t operator()(const sup::Pid& p) const noexcept {
        return std::hash<const void*>()(p.cell());
    }
};
