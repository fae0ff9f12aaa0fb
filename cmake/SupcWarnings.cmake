# The warnings supc's own targets are built with (runtime, stdlib, compiler, tests, examples,
# benchmarks: every directory below the top CMakeLists.txt; a project that adds supc with
# add_subdirectory or FetchContent keeps its own flags).
#
# SUPC_WERROR=ON turns them into errors. It is for the project's own test command
# (scripts/test.sh), never the default: a compiler we have not tried may warn where ours
# does not, and a user's build must not fail for it.
option(SUPC_WERROR "Treat warnings as errors (scripts/test.sh turns this on)" OFF)

add_compile_options(-Wall -Wextra)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # GCC 12 at -O2/-O3 reports a memcpy "overlap" of 2^63 bytes inside libstdc++'s own
  # std::string concatenation (`"literal" + std::move(s)`): a false positive of the
  # optimiser (GCC bug 105329), not a defect of the code it names.
  add_compile_options(-Wno-restrict)
endif()
if(SUPC_WERROR)
  add_compile_options(-Werror)
endif()
