// Must not compile: each MISTAKE_* sends a message the receiver has no handler for.
// tests/unit/runtime/CMakeLists.txt compiles it once per mistake and expects the diagnostic.
#include "sup/call.hpp"

struct Get {};
struct Add {
    int n;
};
struct Tick {};

class Counter : public sup::Actor<Counter> {
public:
    int handle_call(Get) { return 0; }
    void handle_cast(Add) {}
};

void mistakes(sup::Ref<Counter> c) {
#if defined(MISTAKE_CAST)
    sup::cast(c, Get{}); // Get is a call, not a cast
#elif defined(MISTAKE_CALL)
    (void)sup::call(c, Add{1}); // Add is a cast, not a call
#elif defined(MISTAKE_SEND)
    sup::send(c, Tick{}); // no handle_info(Tick)
#elif defined(MISTAKE_REPLY_TYPE)
    std::string s = sup::call(c, Get{}).value(); // the reply is an int
    (void)s;
#else
    sup::cast(c, Add{1});
    (void)sup::call(c, Get{});
#endif
}
