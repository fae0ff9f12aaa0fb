# Generates the man pages and shell completions from `supc help` itself (run at build time
# by the supc_docs target; cmake/SupcDocs.cmake is also the script it runs):
#   cmake -DSUPC=path/to/supc -DOUT=dir -P SupcDocs.cmake
# writes OUT/man1/supc.1, OUT/man1/supc-COMMAND.1 for each command `supc --help` lists,
# OUT/bash/supc and OUT/zsh/_supc. Nothing here knows the commands: supc lists them.
if(CMAKE_SCRIPT_MODE_FILE)
  execute_process(COMMAND ${SUPC} --help OUTPUT_VARIABLE overview RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${SUPC} --help failed")
  endif()
  file(MAKE_DIRECTORY ${OUT}/man1 ${OUT}/bash ${OUT}/zsh)
  # The commands: the lines "  NAME  summary" between "commands:" and the next blank line.
  string(REGEX MATCH "commands:\n(.*)\n\n" block "${overview}")
  string(REPLACE "\n" ";" lines "${CMAKE_MATCH_1}")
  set(names "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^  ([a-z]+) ")
      list(APPEND names ${CMAKE_MATCH_1})
    endif()
  endforeach()
  macro(generate out)
    execute_process(COMMAND ${SUPC} help ${ARGN} OUTPUT_FILE ${out} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "supc help ${ARGN} failed")
    endif()
  endmacro()
  generate(${OUT}/man1/supc.1 --man)
  foreach(name IN LISTS names)
    generate(${OUT}/man1/supc-${name}.1 --man ${name})
  endforeach()
  generate(${OUT}/bash/supc --completion bash)
  generate(${OUT}/zsh/_supc --completion zsh)
  return()
endif()

# Included from compiler/CMakeLists.txt: the target, and where the files are installed
# (man1, bash-completion's and zsh's directories for completions, as Debian puts them).
set(SUPC_DOCS_DIR ${CMAKE_BINARY_DIR}/supc_docs)
add_custom_command(OUTPUT ${SUPC_DOCS_DIR}/stamp
  COMMAND ${CMAKE_COMMAND} -DSUPC=$<TARGET_FILE:supc> -DOUT=${SUPC_DOCS_DIR}
          -P ${CMAKE_CURRENT_LIST_FILE}
  COMMAND ${CMAKE_COMMAND} -E touch ${SUPC_DOCS_DIR}/stamp
  DEPENDS supc ${CMAKE_CURRENT_LIST_FILE}
  COMMENT "Generating supc's man pages and shell completions from supc help"
  VERBATIM)
add_custom_target(supc_docs ALL DEPENDS ${SUPC_DOCS_DIR}/stamp)
install(DIRECTORY ${SUPC_DOCS_DIR}/man1 DESTINATION ${CMAKE_INSTALL_MANDIR})
install(FILES ${SUPC_DOCS_DIR}/bash/supc
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${SUPC_DOCS_DIR}/zsh/_supc DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
