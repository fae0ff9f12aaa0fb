#include "hello.sup.hpp"

#include <cstdio>

int main() {
    sup::Runtime rt;
    auto tree = hello::start_Hello(rt);
    if (!tree.started())
        return 1;
    auto reply = sup::call(tree.value().greeter(), hello::Greet{});
    std::printf("%s\n", reply.has_value() ? reply.value().c_str() : "no reply");
    return reply.has_value() && tree.value().stop() ? 0 : 1;
}
