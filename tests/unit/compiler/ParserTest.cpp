// Parsing into the AST: shapes, literals, locations, and error recovery.
#include "supc/Parser.h"

#include <catch2/catch.hpp>

using namespace supc;
using llvm::cast;
using llvm::dyn_cast;
using llvm::isa;

namespace {

struct Parsed {
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    std::unique_ptr<DiagnosticEngine> diag;
    ParseResult result;
    std::vector<std::string> messages() const {
        std::vector<std::string> out;
        for (const auto& d : sink.diags)
            out.push_back(d.code + " " + d.message);
        return out;
    }
    std::string where(SourceRange r) const {
        auto l = presumedLocation(sm, r.begin);
        return std::to_string(l.line) + ":" + std::to_string(l.column);
    }
};

std::unique_ptr<Parsed> parse(const std::string& text) {
    auto p = std::make_unique<Parsed>();
    p->diag = std::make_unique<DiagnosticEngine>(p->sm, p->sink);
    p->diag->setErrorLimit(0);
    unsigned id = p->sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.sup"), {});
    p->result = parseBuffer(id, *p->diag);
    return p;
}

const ast::Expr& constValue(const Parsed& p, size_t index) {
    return *cast<ast::ConstDecl>(p.result.file->decls.at(index).get())->value;
}

} // namespace

TEST_CASE("declarations parse into the AST with names and ranges") {
    auto p = parse("package my_app.core;\n"
                   "import \"std\";\n"
                   "worker Cache(ttl: duration = 300s) = \"app::Cache\" from \"app/cache.hpp\" "
                   "{ shutdown = 10s; }\n"
                   "supervisor S(n: int) { strategy = one_for_all; child c = Cache(ttl = 1s); }\n"
                   "dynamic_supervisor D of Cache { max_children = 3; }\n"
                   "application A { child s = S(n = 2); }\n");
    REQUIRE(p->sink.diags.empty());
    REQUIRE_FALSE(p->result.fatal);
    auto& decls = p->result.file->decls;
    REQUIRE(decls.size() == 6);

    auto* pkg = cast<ast::PackageDecl>(decls[0].get());
    CHECK(pkg->package.str() == "my_app.core");
    CHECK(cast<ast::ImportDecl>(decls[1].get())->path == "std");

    auto* w = cast<ast::WorkerDecl>(decls[2].get());
    CHECK(w->name == "Cache");
    CHECK(p->where(w->nameRange) == "3:8");
    CHECK(w->cppType == "app::Cache");
    CHECK(w->header == "app/cache.hpp");
    REQUIRE(w->params.size() == 1);
    CHECK(w->params[0].name == "ttl");
    CHECK(w->params[0].type.name == "duration");
    CHECK(cast<ast::DurationLit>(w->params[0].defaultValue.get())->milliseconds == 300000);
    REQUIRE(w->settings.size() == 1);
    CHECK(w->settings[0].range.text() == "shutdown = 10s;");

    auto* s = cast<ast::SupervisorDecl>(decls[3].get());
    CHECK_FALSE(s->isApplication());
    REQUIRE(s->body.size() == 2);
    auto* setting = cast<ast::SettingItem>(s->body[0].get());
    CHECK(setting->setting.name == "strategy");
    auto* child = cast<ast::ChildDecl>(s->body[1].get());
    CHECK(child->id.isPlain());
    CHECK(child->id.parts[0].text == "c");
    CHECK(child->kind.name.str() == "Cache");
    CHECK(child->kind.args.size() == 1);
    CHECK(child->kind.args[0].name == "ttl");
    CHECK(child->range().text() == "child c = Cache(ttl = 1s);");

    auto* d = cast<ast::DynamicSupervisorDecl>(decls[4].get());
    CHECK(d->templ.name.str() == "Cache");
    CHECK(cast<ast::SupervisorDecl>(decls[5].get())->isApplication());
}

TEST_CASE("expressions: precedence, associativity, literals") {
    auto p = parse("const a = 1 + 2 * 3;\n"
                   "const b = 10 - 2 - 3;\n"
                   "const c = -x - 1;\n"
                   "const d = [1_000, 0.25, 2m, \"s\\t\", true, std.Registry(keys = unique)];\n"
                   "const e = (1 + 2) * 3;\n");
    REQUIRE(p->sink.diags.empty());

    auto& a = cast<ast::BinaryExpr>(constValue(*p, 0));
    CHECK(a.op == ast::BinaryOp::Add);
    CHECK(cast<ast::IntLit>(*a.lhs).value == 1);
    CHECK(cast<ast::BinaryExpr>(*a.rhs).op == ast::BinaryOp::Mul);

    auto& b = cast<ast::BinaryExpr>(constValue(*p, 1)); // (10 - 2) - 3
    CHECK(b.op == ast::BinaryOp::Sub);
    CHECK(cast<ast::IntLit>(*b.rhs).value == 3);
    CHECK(cast<ast::BinaryExpr>(*b.lhs).op == ast::BinaryOp::Sub);

    auto& c = cast<ast::BinaryExpr>(constValue(*p, 2));
    CHECK(isa<ast::NegateExpr>(*c.lhs));

    auto& d = cast<ast::ListExpr>(constValue(*p, 3));
    REQUIRE(d.elements.size() == 6);
    CHECK(cast<ast::IntLit>(*d.elements[0]).value == 1000);
    CHECK(cast<ast::DecimalLit>(*d.elements[1]).value == 0.25);
    CHECK(cast<ast::DurationLit>(*d.elements[2]).milliseconds == 120000);
    CHECK(cast<ast::StringLit>(*d.elements[3]).value == "s\t");
    CHECK(cast<ast::BoolLit>(*d.elements[4]).value);
    auto& call = cast<ast::CallExpr>(*d.elements[5]);
    CHECK(call.callee.str() == "std.Registry");
    CHECK(call.args[0].name == "keys");

    auto& e = cast<ast::BinaryExpr>(constValue(*p, 4));
    CHECK(e.op == ast::BinaryOp::Mul);
    CHECK(e.range().text() == "(1 + 2) * 3");
}

TEST_CASE("child ids: names, keywords, and interpolated strings") {
    auto p = parse("application A {\n"
                   "  child worker = W;\n"
                   "  for i in 1..n { child \"w_{i}_{j}x\" = W; }\n"
                   "}\n");
    REQUIRE(p->sink.diags.empty());
    auto* app = cast<ast::SupervisorDecl>(p->result.file->decls[0].get());
    CHECK(cast<ast::ChildDecl>(app->body[0].get())->id.parts[0].text == "worker");
    auto* loop = cast<ast::ForLoop>(app->body[1].get());
    CHECK(loop->var == "i");
    auto& id = cast<ast::ChildDecl>(loop->body[0].get())->id;
    REQUIRE(id.parts.size() == 5);
    CHECK(id.parts[0].text == "w_");
    CHECK(id.parts[1].isName);
    CHECK(id.parts[1].text == "i");
    CHECK(id.parts[1].range.text() == "i");
    CHECK(id.parts[3].text == "j");
    CHECK(id.parts[4].text == "x");
}

TEST_CASE("syntax errors: every one reported, in supc's words; broken declarations dropped") {
    auto p = parse("worker A = \"a\" from \"a\"\n" // missing ';'
                   "application X {\n"
                   "  child a = A\n"           // missing ';'
                   "  strategy one_for_all;\n" // missing '='
                   "}\n"
                   "child stray = A;\n"); // child outside a supervisor
    CHECK_FALSE(p->result.fatal);
    CHECK(p->result.syntaxErrors);
    // Each declaration with an error is dropped, its name kept; the stray child declared
    // nothing.
    CHECK(p->result.file->decls.empty());
    REQUIRE(p->result.file->dropped.size() == 2);
    CHECK(p->result.file->dropped[0].kind == ast::Decl::Kind::Worker);
    CHECK(p->result.file->dropped[0].name == "A");
    CHECK(p->where(p->result.file->dropped[0].nameRange) == "1:8");
    CHECK(p->result.file->dropped[1].kind == ast::Decl::Kind::Application);
    CHECK(p->result.file->dropped[1].name == "X");
    CHECK_FALSE(p->result.file->namesIncomplete);
    auto m = p->messages();
    REQUIRE(m.size() == 4);
    CHECK(m[0] == "E008 expected ';', found 'application'");
    CHECK(p->where(p->sink.diags[0].range) == "1:24"); // just after the previous token
    REQUIRE(p->sink.diags[0].fixIts.size() == 1);
    CHECK(p->sink.diags[0].fixIts[0].replacement == ";");
    CHECK(m[1] == "E008 expected ';', found 'strategy'");
    CHECK(m[2] == "E008 expected '=', found 'one_for_all'");
    CHECK(m[3] == "E008 expected a declaration, found 'child'");
}

TEST_CASE("after a syntax error the other declarations are parsed and kept") {
    auto p = parse("worker A = \"a\" from \"a\";\n"
                   "supervisor Open {\n"
                   "  child a = A(x = (1 + 2);\n" // unclosed '(' and '{'
                   "worker B = \"b\" from \"b\";\n"
                   "supervisr Typo { child a = A; }\n" // a misspelt keyword
                   "const = 3;\n"                      // no name
                   "const c = 4;\n");
    CHECK(p->result.syntaxErrors);
    std::vector<std::string> kept;
    for (const auto& d : p->result.file->decls)
        kept.push_back(d->name);
    CHECK(kept == std::vector<std::string>{"A", "B", "c"});
    std::vector<std::string> dropped;
    for (const auto& d : p->result.file->dropped)
        dropped.push_back(d.name);
    CHECK(dropped == std::vector<std::string>{"Open", "Typo", ""});
    CHECK(p->result.file->dropped[1].kind == ast::Decl::Kind::Supervisor);
    CHECK(p->result.file->namesIncomplete); // the const without a name
}

TEST_CASE("the error limit stops the parser") {
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += "worker W" + std::to_string(i) + " = ;\n";
    llvm::SourceMgr sm;
    CollectingDiagnosticConsumer sink;
    DiagnosticEngine diag(sm, sink);
    diag.setErrorLimit(10);
    unsigned id = sm.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, "t.sup"), {});
    auto r = parseBuffer(id, diag);
    CHECK(r.syntaxErrors);
    // Nine dropped; the parse stopped inside the tenth, and nothing past it was parsed.
    CHECK(r.file->dropped.size() == 9);
    CHECK(diag.errorCount() == 10);
    CHECK(sink.diags.back().message.find("too many errors") != std::string::npos);
}

TEST_CASE("long operator chains are refused without recursing") {
    std::string text = "const x = 1";
    for (int i = 0; i < 50000; ++i)
        text += " + 1";
    text += ";";
    auto p = parse(text);
    REQUIRE(p->sink.diags.size() == 1);
    CHECK(p->sink.diags[0].code == "E004");
    // Just under the limit is fine.
    std::string ok = "const x = 1";
    for (int i = 0; i < 199; ++i)
        ok += " * 1";
    CHECK(parse(ok + ";")->sink.diags.empty());
}

TEST_CASE("invalid UTF-8 and NUL bytes are found before anything else") {
    CHECK_FALSE(findEncodingProblem("plain ascii"));
    CHECK_FALSE(findEncodingProblem("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
    auto bad = findEncodingProblem("ab\xE9z");
    REQUIRE(bad);
    CHECK(bad->offset == 2);
    CHECK(findEncodingProblem(std::string("a\0b", 3))->what.find("NUL") != std::string::npos);
    CHECK(findEncodingProblem("\xC0\xAF"));         // overlong
    CHECK(findEncodingProblem("\xED\xA0\x80"));     // surrogate
    CHECK(findEncodingProblem("\xF4\x90\x80\x80")); // beyond U+10FFFF
    CHECK(findEncodingProblem("\xE2\x82"));         // cut short

    auto p = parse("worker Caf\xE9 = \"a\" from \"b\";");
    CHECK(p->result.fatal);
    REQUIRE(p->sink.diags.size() == 1);
    CHECK(p->sink.diags[0].code == "E002");
    CHECK(p->where(p->sink.diags[0].range) == "1:11");
}

TEST_CASE("an empty file is an error; a file of comments too") {
    CHECK(parse("")->messages() ==
          std::vector<std::string>{"E003 't.sup' declares nothing: the file is empty"});
    CHECK(parse("// only\n/* comments */")->messages() ==
          std::vector<std::string>{
              "E003 't.sup' declares nothing: the file is empty but for comments"});
}
