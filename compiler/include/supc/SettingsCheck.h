// The checks of setting values and child ids, each written once (LANGUAGE.md's Settings
// tables). The resolver calls them with the values it can compute, the constants, so that
// a mistake is reported even in a declaration nothing instantiates; elaboration calls
// them with every instance's values, so that values computed from parameters and loop
// variables are checked too. A mistake found by both is reported once (the engine keeps
// one diagnostic per code and place).
//
// Each function checks one setting: it takes the setting as written (for the places to
// point at) and the values the caller knows (null: not known there, not checked), reports
// what is wrong and returns false if anything was.
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/IR.h"
#include "supc/Value.h"

#include <string_view>

namespace supc::settings {

// The checks of the settings table's rows (SettingInfo::check): each takes the values of
// the setting's expressions as far as the caller knows them (SettingValues).

/// `strategy`: a dynamic supervisor's is always one_for_one (E024).
bool checkStrategy(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);

/// `intensity = N per PERIOD`: N >= 0 and PERIOD > 0 (E022).
bool checkIntensity(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);

/// `shutdown = DURATION`: not negative (E032). brutal_kill and infinity need no check.
bool checkShutdown(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);

/// `backoff = exponential(MIN, MAX, jitter = J)`: 0 < MIN <= MAX and 0 <= J <= 1 (E032).
bool checkBackoff(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);

/// `max_children = N`: not negative (E032); left out (unlimited) is fine.
bool checkMaxChildren(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);

/// The longest registered name (and via key, registry name) a spec may give, in bytes.
inline constexpr size_t kMaxNameLength = 255;
/// `name = "NAME"` / `via("REGISTRY", "KEY")`: each string not empty, without control
/// characters, at most kMaxNameLength bytes (E048). `v.value` is the name or key, `v.period`
/// the registry's name, as far as known (a template's `{param}` of a start argument is not
/// checked).
bool checkName(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);
/// One such string; `role` names it ("name", "via key", "registry name").
bool checkNameText(std::string_view text, SourceRange at, std::string_view role,
                   DiagnosticEngine& diag);

/// A child id or `needs` entry, written or interpolated: letters, digits, '_', '-' and
/// '.', not empty (E038). `role` names it in the message ("child id", "'needs' entry").
bool checkChildId(std::string_view id, SourceRange at, std::string_view role,
                  DiagnosticEngine& diag);

// A program's settings (`worker W = program "cmd" { ... }`), all E046. String checks take
// the text after interpolation and the place of the string as written.

/// The command: not empty, not only blanks.
bool checkCommand(std::string_view command, SourceRange at, DiagnosticEngine& diag);
/// An environment variable name (an `env` entry's, or an `unset_env` entry):
/// [A-Za-z_][A-Za-z0-9_]*.
bool checkEnvName(std::string_view name, SourceRange at, std::string_view role,
                  DiagnosticEngine& diag);
/// An `env` entry: NAME=value with a valid NAME. The name in `name` when it returns true.
bool checkEnvEntry(std::string_view entry, SourceRange at, std::string_view& name,
                   DiagnosticEngine& diag);
/// `working_dir`, `output_file`: not empty.
bool checkNotEmpty(std::string_view value, SourceRange at, std::string_view setting,
                   DiagnosticEngine& diag);
/// One string of `env`, `unset_env`, `working_dir` or `output_file` (`args` need none).
bool checkProgramString(SettingKey key, std::string_view value, SourceRange at,
                        DiagnosticEngine& diag);
/// `stop_signal`: a signal whose default action ends a process.
bool checkStopSignal(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);
/// `start_timeout = DURATION`: longer than 0.
bool checkStartTimeout(const ir::Setting& s, const SettingValues& v, DiagnosticEngine& diag);

} // namespace supc::settings
