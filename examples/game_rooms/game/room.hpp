// A game room: one actor per room, registered in the "game_rooms" registry under its room
// id, so that players reach it by name. A room that crashes is restarted by the Rooms
// supervisor with the same id and registers again: the name then leads to the new room
// (empty: players must join again). A room whose game is over stops normally and is gone.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <sup/std/registry.hpp>
#include <sup/sup.hpp>
#include <utility>
#include <vector>

namespace game {

/// Call: `player` joins the room; the reply is the number of players now in it.
struct Join {
    std::string player;
};
/// Call: who is in the room.
struct Players {};
/// Cast: a corrupted move that the room cannot apply (it crashes).
struct CorruptMove {};
/// Cast: the game is over (the room stops normally).
struct GameOver {};

class GameRoom : public sup::Actor<GameRoom> {
public:
    /// The registry rooms register in (std.Registry(name = "game_rooms") in app.sup).
    static constexpr const char* registry = "game_rooms";

    /// Where room `room_id` is found: its name in the registry.
    static sup::std_lib::Via name(sup::Runtime& rt, std::string room_id) {
        return sup::std_lib::via(sup::std_lib::RegistryRef(rt, registry), std::move(room_id));
    }

    explicit GameRoom(std::string room_id) : room_id_(std::move(room_id)) {}

    sup::InitResult init() override {
        auto registered = sup::std_lib::Registry::register_key(registry, room_id_);
        if (!registered)
            return sup::InitResult::stop(sup::ExitReason::error(
                "room " + room_id_ + " cannot register: " + registered.error().to_string()));
        return sup::InitResult::ok();
    }

    std::size_t handle_call(Join j) {
        players_.push_back(std::move(j.player));
        return players_.size();
    }
    std::vector<std::string> handle_call(Players) { return players_; }

    void handle_cast(CorruptMove) {
        throw std::runtime_error("room " + room_id_ + ": board state corrupted");
    }
    void handle_cast(GameOver) { stop(sup::ExitReason::normal()); }

private:
    std::string room_id_;
    std::vector<std::string> players_;
};

} // namespace game
