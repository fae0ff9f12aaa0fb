# Runs an example program and checks its story:
#   cmake -DPROGRAM=exe -DCHECK_FILE=x.check -DFILECHECK=FileCheck -DOUTPUT=out.txt -P run_example.cmake
# The program checks its own story against the runtime's events (a deviation makes it exit
# with 1 and say why on stderr); FileCheck then checks the story it printed.
foreach(var PROGRAM CHECK_FILE FILECHECK OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_example.cmake: -D${var}=... is missing")
  endif()
endforeach()

execute_process(COMMAND "${PROGRAM}"
                OUTPUT_FILE "${OUTPUT}"
                ERROR_VARIABLE errors
                RESULT_VARIABLE status
                TIMEOUT 60)
file(READ "${OUTPUT}" story)
message("${story}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with status ${status}\n${errors}")
endif()

execute_process(COMMAND "${FILECHECK}" "${CHECK_FILE}" --input-file "${OUTPUT}"
                ERROR_VARIABLE mismatch
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the story does not match ${CHECK_FILE}:\n${mismatch}")
endif()
