// Failure: in a program with errors, which declarations can be trusted.
//
// A declaration failed when an error was reported while resolving it (or it was dropped
// after a syntax error, or declared twice, or is part of a supervision cycle). It is
// tainted when it failed or uses, directly or through others, a tainted declaration:
// elaborating it could only repeat the error in other words (a missing child, a value
// that is not there), so elaboration leaves it alone (docs/cli.md, "Several errors in
// one run").
#include "Sema/Resolver.h"

#include <algorithm>

namespace supc::sema {

void Resolver::noteUse(const ir::Decl* d) {
    if (!current_ || !d || d == current_)
        return;
    auto& uses = current_->uses;
    // Few distinct declarations per user, the same one many times in a row (a kind used
    // by every child of a supervisor): the last one first.
    if (!uses.empty() && uses.back() == d)
        return;
    if (std::find(uses.begin(), uses.end(), d) == uses.end())
        uses.push_back(d);
}

void Resolver::propagateFailures() {
    // Iterative depth-first search over `uses`; a declaration is tainted when it failed or
    // anything it uses is. (Cycles of uses are supervision cycles or recursive consts,
    // which failed themselves.)
    enum State : unsigned char { Unvisited, OnStack, Done };
    std::unordered_map<const ir::Decl*, State> state;
    struct Frame {
        ir::Decl* decl;
        size_t next;
    };
    std::vector<Frame> stack;
    for (auto& m : program_.modules)
        for (auto& root : m->decls) {
            if (state[root.get()] != Unvisited)
                continue;
            state[root.get()] = OnStack;
            root->tainted = root->failed;
            stack.push_back({root.get(), 0});
            while (!stack.empty()) {
                Frame& top = stack.back();
                if (top.next == top.decl->uses.size()) {
                    state[top.decl] = Done;
                    ir::Decl* done = top.decl;
                    stack.pop_back();
                    if (!stack.empty() && done->tainted)
                        stack.back().decl->tainted = true;
                    continue;
                }
                auto* used = const_cast<ir::Decl*>(top.decl->uses[top.next++]);
                State s = state[used];
                if (s == Unvisited) {
                    state[used] = OnStack;
                    used->tainted = used->failed;
                    stack.push_back({used, 0});
                } else if (used->tainted || s == OnStack) {
                    // A cycle is tainted as a whole (its members failed, see above).
                    top.decl->tainted |= used->tainted;
                }
            }
        }
}

} // namespace supc::sema
