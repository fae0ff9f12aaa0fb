# cmake -DBUILD_DIR=supc's-build -DSOURCE_DIR=supc's-source -DPROJECT=project-dir -DWORK=scratch-dir
#       -P run.cmake
#
# Installs the already-built supc (compiler, runtime, std) into WORK/prefix, configures and
# builds PROJECT against it with find_package(supc), runs it; then checks the build's
# dependencies: a second build does nothing, touching a spec that hello.sup imports
# regenerates and rebuilds.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()
function(expect_not text what)
  string(FIND "${out}" "${text}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${what}: did not expect '${text}' in:\n${out}")
  endif()
  message(STATUS "ok: ${what}")
endfunction()
function(expect text what)
  string(FIND "${out}" "${text}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${what}: expected '${text}' in:\n${out}")
  endif()
  message(STATUS "ok: ${what}")
endfunction()

file(REMOVE_RECURSE "${WORK}")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK}/prefix")
# The project's sources are copied: touching one must not touch supc's tree.
file(COPY "${PROJECT}/" DESTINATION "${WORK}/src")
run(${CMAKE_COMMAND} -S "${WORK}/src" -B "${WORK}/build" -G Ninja
    -DCMAKE_PREFIX_PATH=${WORK}/prefix -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build "${WORK}/build")
expect("supc compile hello.sup" "the build runs supc compile")
run("${WORK}/build/hello")
expect("hello from the package" "the program built from the installed package runs")

run(${CMAKE_COMMAND} --build "${WORK}/build")
expect("no work to do" "a second build does nothing")

# Touching the imported spec: regenerated, and (same contents) nothing is recompiled.
file(TOUCH "${WORK}/src/kinds.sup")
run(${CMAKE_COMMAND} --build "${WORK}/build" -- -d explain)
expect("supc compile hello.sup" "touching an imported spec regenerates")
expect_not("Building CXX" "the same generated code is not recompiled")
run(${CMAKE_COMMAND} --build "${WORK}/build")
expect("no work to do" "then nothing more")

# Changing it: regenerated and rebuilt.
file(READ "${WORK}/src/hello.sup" spec)
string(REPLACE "\"package\"" "\"changed package\"" spec "${spec}")
file(WRITE "${WORK}/src/hello.sup" "${spec}")
run(${CMAKE_COMMAND} --build "${WORK}/build")
expect("Linking CXX executable hello" "an edited spec is rebuilt")
run("${WORK}/build/hello")
expect("hello from the changed package" "with the new value")

# add_subdirectory(supc) instead of find_package: configured only (building would build
# supc again); the plan generates the spec with the tree's supc and builds the program.
run(${CMAKE_COMMAND} -S "${WORK}/src" -B "${WORK}/build-subdir" -G Ninja -Wno-dev
    -DUSE_SUPC_SOURCE=${SOURCE_DIR} -DSUPC_BUILD_TESTS=OFF -DSUPC_BUILD_EXAMPLES=OFF
    -DSUPC_BUILD_BENCH=OFF)
run(${CMAKE_COMMAND} --build "${WORK}/build-subdir" --target hello -- -n)
expect("supc compile hello.sup" "with add_subdirectory, the build would run supc compile")
expect("Linking CXX executable hello" "and link hello")
