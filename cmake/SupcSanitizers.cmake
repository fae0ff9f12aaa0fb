# SUPC_SANITIZE=thread   -> ThreadSanitizer
# SUPC_SANITIZE=address  -> AddressSanitizer + UndefinedBehaviorSanitizer (a first report ends the
#                          program: -fno-sanitize-recover=all)
if(SUPC_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(SUPC_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Executables are not position-independent here: as a PIE, the sanitized supc applied 18 MB
  # of dynamic relocations (the sanitizers' data on every global and check) at every start,
  # and the lit suites and the fuzz replay start it thousands of times (--version: 0.25 s as a
  # PIE, 0.14 s not). What ASan and UBSan check is the same.
  add_link_options($<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:-no-pie>)
elseif(NOT SUPC_SANITIZE STREQUAL "")
  message(FATAL_ERROR "SUPC_SANITIZE must be '', 'thread' or 'address', not '${SUPC_SANITIZE}'")
endif()
