// What people who know OTP type in a settings block, and what supc says about it: Elixir's
// `max_restarts` / `max_seconds` (Erlang's `intensity` / `period` map keys) are one setting
// here, `intensity = N per DURATION`. Both are held until the block ends, so that one fix-it
// writes the pair as one setting and each misspelling is one error.
// (The parser recognises the punctuation: atoms and keyword lists, Parse/SyntaxErrors.cpp.)
#include "Sema/Resolver.h"

namespace supc::sema {

using llvm::dyn_cast;
using llvm::isa;

namespace {
bool isElixirFlag(std::string_view name) {
    return name == "max_restarts" || name == "max_seconds";
}

/// OTP's and Elixir's defaults: 3 restarts (Elixir; OTP's 1) within 5 seconds (both).
constexpr std::string_view elixirDefaultRestarts = "3";
constexpr std::string_view elixirDefaultSeconds = "5";
} // namespace

bool Resolver::holdElixirFlag(const ast::Setting& a, const Place& place, ir::SettingList& list) {
    bool takesIt = place.place == InSupervisor || place.place == InDynamicSupervisor ||
                   (place.place == InChild && takesIntensity(place.childKind));
    if (!isElixirFlag(a.name) || !takesIt)
        return false;
    ElixirFlags& held = elixirFlags_[&list];
    const ast::Setting*& slot = a.name == "max_restarts" ? held.maxRestarts : held.maxSeconds;
    if (slot) {
        diag_.error(ErrorCode::E015, a.nameRange, "'{}' is set twice", a.name)
            .note("it is first set here", slot->nameRange);
        return true;
    }
    slot = &a;
    return true;
}

void Resolver::reportElixirFlags(ir::SettingList& list) {
    auto it = elixirFlags_.find(&list);
    if (it == elixirFlags_.end())
        return;
    const ElixirFlags held = it->second;
    elixirFlags_.erase(it);
    const ast::Setting* r = held.maxRestarts;
    const ast::Setting* t = held.maxSeconds;
    const ir::Setting* intensity = list.find(SettingKey::Intensity);

    // The replacement, when it is mechanical: a count that is a number or a name (a const, a
    // parameter), written as it is; seconds that are a whole number.
    std::optional<std::string_view> count = elixirDefaultRestarts;
    if (r)
        count =
            !r->period && (isa<ast::IntLit>(r->value.get()) || isa<ast::NameExpr>(r->value.get()))
                ? std::optional(r->value->range().text())
                : std::nullopt;
    std::optional<std::string> seconds;
    if (!t)
        seconds = std::string(elixirDefaultSeconds);
    else if (auto* n = dyn_cast<ast::IntLit>(t->value.get()); n && !t->period)
        seconds = std::to_string(n->value);
    std::string replacement =
        count && seconds ? fmt::format("intensity = {} per {}s;", *count, *seconds) : std::string();

    const ast::Setting* first = r ? r : t;
    const ast::Setting* second = r && t ? t : nullptr;
    auto b = diag_.error(ErrorCode::E013, first->nameRange, "unknown setting '{}'", first->name);
    b.note("Elixir's max_restarts and max_seconds are one setting in supc: intensity = N per "
           "DURATION (at most N restarts within DURATION)");
    if (intensity) {
        b.note(fmt::format("'intensity' is set here already: remove '{}'", first->name),
               intensity->nameRange);
    } else if (!replacement.empty()) {
        if (!second)
            b.note(fmt::format("write: {} ({} defaults to {} in Elixir)", replacement,
                               r ? "max_seconds" : "max_restarts",
                               r ? elixirDefaultSeconds : elixirDefaultRestarts));
        else
            b.note(fmt::format("write: {}", replacement));
        b.fixIt(first->range, replacement);
    } else {
        b.note("write: intensity = N per DURATION, with a unit on the duration (5s)");
    }
    if (second) {
        auto c =
            diag_.error(ErrorCode::E013, second->nameRange, "unknown setting '{}'", second->name);
        c.note("its value is the period of 'intensity', with the count of 'max_restarts'",
               first->nameRange);
        if (!intensity && !replacement.empty())
            c.fixIt(second->range, "");
    }
}

std::optional<std::string> otpValueNote(std::string_view written, const Type& enumType) {
    if (written == "simple_one_for_one" && enumType.enumeratorIndex("one_for_one"))
        return std::string(
            "OTP's simple_one_for_one is a dynamic supervisor in supc (children started at run "
            "time from one template, Elixir's DynamicSupervisor): declare it as "
            "'dynamic_supervisor NAME of Kind { ... }'");
    return std::nullopt;
}

} // namespace supc::sema
