#include "TestSupport.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

namespace supc::test {

std::vector<std::string> Checked::codes() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diags)
        if (d.severity == Severity::Error)
            out.push_back(d.code);
    return out;
}

bool Checked::hasCode(const std::string& code) const {
    for (const auto& c : codes())
        if (c == code)
            return true;
    return false;
}

std::vector<std::string> Checked::summary() const {
    std::vector<std::string> out;
    for (const auto& d : diags.diags) {
        auto loc = presumedLocation(sm, d.range.begin);
        out.push_back(fmt::format("{}:{} {} {}", loc.line, loc.column, d.code, d.message));
    }
    return out;
}

const ir::Decl* Checked::decl(const std::string& name) const {
    return program ? program->entry->find(name) : nullptr;
}

std::unique_ptr<Checked> check(const std::string& text, const std::string& name) {
    auto c = std::make_unique<Checked>();
    c->engine = std::make_unique<DiagnosticEngine>(c->sm, c->diags);
    c->engine->setErrorLimit(0);
    CheckOptions options;
    options.stdlibDir = SUPC_TEST_STDLIB_DIR;
    c->program = checkBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, name), *c->engine, options);
    return c;
}

Elaborated elaborateText(const std::string& text, const Environment& env, const std::string& root) {
    Elaborated out;
    out.checked = check(text);
    INFO("diagnostics: " << fmt::format("{}", fmt::join(out.checked->summary(), "; ")));
    REQUIRE(out.checked->program);
    REQUIRE(out.checked->codes().empty());
    const ir::KindDecl* decl = selectRoot(*out.checked->program, root, *out.checked->engine);
    REQUIRE(decl);
    out.tree = elaborate(*out.checked->program, *decl, *out.checked->engine, env);
    return out;
}

Elaborated elaborateText(const std::string& text) {
    MapEnvironment env;
    return elaborateText(text, env);
}

const Node& child(const Node& node, const std::string& id) {
    for (const auto& c : node.children)
        if (c->id == id)
            return *c;
    FAIL("no child '" << id << "' under '" << node.id << "'");
    throw;
}

} // namespace supc::test
