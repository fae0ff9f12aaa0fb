// The C++ names generated code gives a spec's declarations, in one place: the code
// generator spells them with these functions, and the checker rejects a spec where two of
// them come out the same in one C++ namespace (E045), so that `compile` never writes code
// that does not compile for that reason.
#pragma once

#include "supc/DiagnosticEngine.h"
#include "supc/IR.h"

#include <string>
#include <vector>

namespace supc::cpp {

/// The C++ namespace of a module's generated code: "my_app::sub" for `package my_app.sub;`,
/// "" for none.
std::string namespaceOf(const ir::Module& module);

/// Whether the module has generated code of its own (NAME.sup.hpp/.cpp that importers
/// include): false for a spec that declares only worker kinds and constants known at
/// compile time, whose kinds and values are written where they are used instead.
bool hasGeneratedCode(const ir::Module& module);

/// `pool_size` for `const pool_size`.
std::string constName(const ir::ConstDecl& c);
/// `Services_spec`: the function that builds a supervisor's (or dynamic supervisor's) spec.
std::string specFunctionName(const ir::KindDecl& k);
/// `Cache_child`: a worker kind's child factory.
std::string factoryName(const ir::WorkerDecl& w);
/// `Connections_start_child`: a dynamic supervisor's start_child helper.
std::string startChildName(const ir::DynamicSupervisorDecl& d);
/// `start_MyApp`, `MyAppTree`: an application's start function and tree handle class.
std::string startFunctionName(const ir::SupervisorDecl& app);
std::string treeHandleName(const ir::SupervisorDecl& app);

/// The names the generated code declares in the module's namespace for `d`, each with what
/// it is ("the spec function of supervisor 'App'").
struct GeneratedName {
    std::string name;
    std::string what;
};
std::vector<GeneratedName> generatedNames(const ir::Decl& d);

/// Reports (E045) every declaration whose generated name is already another's in the same
/// C++ namespace (across the program's modules that have generated code).
void checkGeneratedNames(const ir::Program& program, DiagnosticEngine& diag);

} // namespace supc::cpp
