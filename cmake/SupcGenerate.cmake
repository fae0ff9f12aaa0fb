# supc_generate(TARGET t SPECS a.sup [b.sup ...] [OUTPUT_DIR dir] [STDLIB dir] [NO_OBSERVE])
#
# Generates C++ from each spec with `supc compile` at build time and builds it into target t:
#   - NAME.sup.hpp and NAME.sup.cpp go to OUTPUT_DIR (default:
#     ${CMAKE_CURRENT_BINARY_DIR}/supc_generated/t), which becomes an include directory of t;
#   - each NAME.sup.cpp is added to t's sources;
#   - t links supc::runtime (and supc::std, the standard library's classes, when it exists);
#   - t links supc::observe_env when it exists (unless NO_OBSERVE): the program serves its
#     tree's page, metrics and health when SUPC_OBSERVE=ADDR:PORT is set (docs/observe.md).
# supc writes a dependency file (--depfile) naming every spec a spec imports, std included:
# editing any of them regenerates; a build where nothing changed runs nothing. A spec that
# imports another spec with supervisors of its own needs that one listed in SPECS too.
#
# supc leaves a generated file untouched (time stamp too) when its contents would not
# change, so that nothing that includes it is recompiled. Ninja sees that (restat); Make
# does not: a rule whose output stays older than its inputs runs again in every build, and
# CMake's extra-output rule would touch the .cpp after it. So the rule's one output is a stamp
# file, touched after each compile and named as the dependency file's target
# (--depfile-target), and the generated files are its byproducts: under both generators a
# build where nothing changed runs nothing, and regenerating identical code compiles nothing.
#
# Works from an install (find_package(supc)) and from add_subdirectory(supc): both define
# the imported or alias target supc::supc (the compiler) this function runs.
#
# Or, with SUPC_EXECUTABLE set (a cache variable: -DSUPC_EXECUTABLE=/usr/bin/supc) and no
# supc::supc target, that supc: a project built on a machine without ANTLR and LLVM.
include_guard(GLOBAL)

if(SUPC_EXECUTABLE AND NOT TARGET supc::supc)
  if(NOT EXISTS "${SUPC_EXECUTABLE}")
    message(FATAL_ERROR "SUPC_EXECUTABLE is '${SUPC_EXECUTABLE}', which does not exist")
  endif()
  add_executable(supc::supc IMPORTED GLOBAL)
  set_target_properties(supc::supc PROPERTIES IMPORTED_LOCATION "${SUPC_EXECUTABLE}")
endif()

function(supc_generate)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "NO_OBSERVE" "TARGET;OUTPUT_DIR;STDLIB" "SPECS")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "supc_generate: unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_TARGET)
    message(FATAL_ERROR "supc_generate: say which target the generated code goes into: TARGET t")
  endif()
  if(NOT TARGET ${ARG_TARGET})
    message(FATAL_ERROR "supc_generate: '${ARG_TARGET}' is not a target (create it first)")
  endif()
  if(NOT ARG_SPECS)
    message(FATAL_ERROR "supc_generate: no specs: SPECS a.sup ...")
  endif()
  if(NOT TARGET supc::supc)
    message(FATAL_ERROR "supc_generate: no supc::supc target: find_package(supc) or "
                        "add_subdirectory(supc) first (or set SUPC_EXECUTABLE to a supc)")
  endif()

  set(out_dir "${ARG_OUTPUT_DIR}")
  if(NOT out_dir)
    set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/supc_generated/${ARG_TARGET}")
  endif()
  set(stdlib_args "")
  if(ARG_STDLIB)
    set(stdlib_args --stdlib "${ARG_STDLIB}")
  endif()

  set(sources "")
  foreach(spec IN LISTS ARG_SPECS)
    get_filename_component(spec_path "${spec}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    get_filename_component(stem "${spec_path}" NAME)
    string(REGEX REPLACE "\\.sup$" "" stem "${stem}")
    set(header "${out_dir}/${stem}.sup.hpp")
    set(source "${out_dir}/${stem}.sup.cpp")
    set(depfile "${out_dir}/${stem}.sup.d")
    set(stamp "${out_dir}/${stem}.sup.stamp")
    add_custom_command(
      OUTPUT "${stamp}"
      BYPRODUCTS "${header}" "${source}"
      COMMAND supc::supc compile "${spec_path}" -o "${out_dir}" --depfile "${depfile}"
              --depfile-target "${stamp}" ${stdlib_args}
      COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
      DEPENDS "${spec_path}" supc::supc
      DEPFILE "${depfile}"
      COMMENT "supc compile ${spec} -> ${stem}.sup.{hpp,cpp}"
      VERBATIM)
    list(APPEND sources "${source}")
    set_source_files_properties("${header}" PROPERTIES GENERATED TRUE)
    # The stamp is a source too: the rule belongs to the target, and runs before its objects.
    target_sources(${ARG_TARGET} PRIVATE "${source}" "${header}" "${stamp}")
  endforeach()

  target_include_directories(${ARG_TARGET} PUBLIC "${out_dir}")
  target_link_libraries(${ARG_TARGET} PUBLIC supc::runtime)
  if(TARGET supc::std)
    target_link_libraries(${ARG_TARGET} PUBLIC supc::std)
  endif()
  if(TARGET supc::observe_env AND NOT ARG_NO_OBSERVE)
    target_link_libraries(${ARG_TARGET} PRIVATE supc::observe_env)
  endif()
endfunction()
