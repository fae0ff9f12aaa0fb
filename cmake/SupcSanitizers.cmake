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
elseif(NOT SUPC_SANITIZE STREQUAL "")
  message(FATAL_ERROR "SUPC_SANITIZE must be '', 'thread' or 'address', not '${SUPC_SANITIZE}'")
endif()
