// The classes behind app.sup's worker kinds.
#pragma once

#include <cstdint>
#include <string>
#include <sup/std/registry.hpp>
#include <sup/sup.hpp>

namespace names_e2e {

struct Who {};

class Cache : public sup::Actor<Cache> {
public:
    std::string handle_call(Who) const { return "cache"; }
};

class Room : public sup::Actor<Room> {
public:
    explicit Room(std::string id) : id_(std::move(id)) {}
    std::string handle_call(Who) const { return "room " + id_; }

private:
    std::string id_;
};

class Slot : public sup::Actor<Slot> {
public:
    explicit Slot(std::int64_t index) : index_(index) {}
    std::string handle_call(Who) const { return "slot " + std::to_string(index_); }

private:
    std::int64_t index_;
};

/// What a lookup of the named siblings found: each as its class, and its answer to Who.
struct Found {
    std::string cache, lobby, tasks, wrong_type;
};

/// Looks up its named siblings, started before it, in its init (the names are registered
/// before their own inits ran) and again whenever asked.
class Finder : public sup::Actor<Finder> {
public:
    struct Look {};
    sup::InitResult init() override {
        first_ = look();
        return sup::InitResult::ok();
    }
    Found handle_call(Look) const { return look(); }
    struct First {};
    Found handle_call(First) const { return first_; }

private:
    static Found look() {
        Found f;
        if (auto cache = sup::whereis_as<Cache>("cache"))
            f.cache = sup::call(cache.value(), Who{}).value_or("no answer");
        else
            f.cache = cache.error().to_string();
        if (auto lobby = sup::whereis_as<Room>(sup::std_lib::via_name("rooms", "room:lobby")))
            f.lobby = sup::call(lobby.value(), Who{}).value_or("no answer");
        else
            f.lobby = lobby.error().to_string();
        f.tasks = sup::whereis_as<Cache>("tasks").error().to_string();
        auto wrong = sup::whereis_as<Room>("cache");
        f.wrong_type = wrong ? "a Ref of the wrong class" : wrong.error().to_string();
        return f;
    }
    Found first_;
};

} // namespace names_e2e
