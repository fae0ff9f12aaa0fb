// Starts app.sup's tree and checks names end to end: a sibling finds the named children in
// its init (registered before theirs ran); the tree handle's typed lookups by name; a wrong
// class is an error that says which class is there; after restarts the names reach the new
// children; dynamic children are named from their start arguments; a taken name fails a start.
#include "app.sup.hpp"

#include <cstdio>
#include <string>
#include <sup/testing.hpp>

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what.c_str());
    if (!ok)
        ++failures;
}
void expect_eq(const std::string& got, const std::string& want, const std::string& what) {
    expect(got == want, what + " (got '" + got + "')");
}
} // namespace

int main() {
    using namespace names_e2e;
    using sup::std_lib::via_name;
    sup::Runtime rt(sup::RuntimeOptions{.threads = 2, .log_level = sup::LogLevel::none});
    sup::testing::EventLog log(rt);
    auto started = start_App(rt);
    if (!started.started()) {
        std::printf("FAILED: start_App: %s\n", started.reason().to_string().c_str());
        return 1;
    }
    const AppTree& tree = started.value();

    // The finder's init found its siblings by name, typed.
    Found first = sup::call(tree.finder(), Finder::First{}).value();
    expect_eq(first.cache, "cache", "init: whereis_as<Cache>(\"cache\")");
    expect_eq(first.lobby, "room lobby", "init: whereis_as<Room>(via rooms room:lobby)");
    expect(first.tasks.find("'tasks' is a ") == 0 &&
               first.tasks.find("DynamicSupervisor") != std::string::npos,
           "init: 'tasks' is the task supervisor, a dynamic supervisor (" + first.tasks + ")");
    expect(first.wrong_type.find("'cache' is a names_e2e::Cache, not a names_e2e::Room") == 0,
           "a wrong class is an error naming both (" + first.wrong_type + ")");

    // The tree handle: by path and by name agree; names of the runtime and via-names.
    expect(tree.cache_by_name().value() == tree.cache(), "cache_by_name() is cache()");
    expect(tree.lobby_by_name().value() == tree.lobby(), "lobby_by_name() is lobby()");
    expect(tree.tasks_by_name() == tree.tasks(), "tasks_by_name() is tasks()");
    expect(tree.games_by_name() == tree.games() && rt.whereis("games") == tree.games(),
           "the dynamic supervisor is registered as games");
    expect(rt.whereis("slot_0") == tree.lookup("slots/0") &&
               rt.whereis("slot_1") == tree.lookup("slots/1"),
           "a partition's children are named from their index");
    auto wrong = tree.whereis_as<Cache>(via_name("rooms", "room:lobby"));
    expect(!wrong && wrong.error() == sup::NameError::Code::wrong_type,
           "the handle's lookup as the wrong class is an error");

    // Restarts: the name is released and taken again by the new child before its init.
    sup::Pid cache = tree.cache(), lobby = tree.lobby();
    std::size_t from = log.size();
    sup::kill(cache);
    sup::Pid cache2 =
        log.wait_for(sup::EventKind::child_restarted, "cache", std::chrono::seconds(10), from)
            .child;
    expect(cache2 && cache2 != cache, "cache restarted");
    expect(tree.cache_by_name().value() == cache2, "cache_by_name() is the new cache");
    from = log.size();
    sup::kill(lobby);
    sup::Pid lobby2 =
        log.wait_for(sup::EventKind::child_restarted, "lobby", std::chrono::seconds(10), from)
            .child;
    expect(lobby2 && lobby2 != lobby, "lobby restarted");
    expect(tree.lobby_by_name().value() == lobby2, "lobby_by_name() is the new lobby");
    Found again = sup::call(tree.finder(), Finder::Look{}).value();
    expect_eq(again.cache, "cache", "the finder finds the new cache");
    expect_eq(again.lobby, "room lobby", "the finder finds the new lobby");

    // Dynamic children: the via-key from the start argument.
    auto room = tree.games_start_child("42");
    expect(room.has_value(), "a room starts");
    if (room) {
        auto found = sup::whereis_as<Room>(rt, via_name("rooms", "room:42"));
        expect(found && found.value() == room.value(), "room:42 is the new room");
        expect_eq(sup::call(found.value(), Who{}).value_or(""), "room 42", "room:42 answers");
    }
    auto twice = tree.games_start_child("42");
    expect(!twice && twice.error().reason == sup::ExitReason::error("already_started"),
           "a second room:42 does not start: already_started");
    auto lobby_again = tree.games_start_child("lobby");
    expect(!lobby_again, "room:lobby is the static lobby's: a dynamic one does not start");

    auto stopped = tree.stop(std::chrono::seconds(10));
    expect(stopped && *stopped == sup::ExitReason::shutdown(), "the tree stops");
    expect(!rt.whereis("cache") && !rt.whereis("games"), "its names are released");
    std::printf("%s\n", failures ? "FAILED" : "all passed");
    return failures ? 1 : 0;
}
