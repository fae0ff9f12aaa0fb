// The error catalogue is one source of truth: well-formed, and its examples do what they
// say: each self-contained example fails with its own code, and each fix checks clean.
#include "TestSupport.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <set>

using namespace supc;
using namespace supc::test;

TEST_CASE("codes are E001, E002, ... with unique names and lowercase titles") {
    auto all = errorCatalog();
    REQUIRE(all.size() >= 40);
    std::set<std::string_view> names;
    for (size_t i = 0; i < all.size(); ++i) {
        const CodeInfo& e = all[i];
        INFO(e.code);
        CHECK(e.code == fmt::format("E{:03d}", i + 1));
        CHECK(names.insert(e.name).second);
        CHECK_FALSE(e.title.empty());
        CHECK_FALSE(std::isupper(static_cast<unsigned char>(e.title[0])));
        CHECK(e.title.back() != '.');
        CHECK_FALSE(e.explanation.empty());
        CHECK_FALSE(e.example.empty());
        CHECK_FALSE(e.fix.empty());
        CHECK(codeString(static_cast<ErrorCode>(i)) == e.code);
        CHECK(findCode(std::string(e.code)) == &e);
    }
    CHECK(findCode("e012") == &errorCatalog()[11]);
    CHECK(findCode("E999") == nullptr);
}

TEST_CASE("each self-contained example fails with its code; its fix checks clean") {
    for (const CodeInfo& e : errorCatalog()) {
        if (!e.selfContained)
            continue;
        INFO(e.code << " example:\n" << e.example);
        MapEnvironment env;
        auto bad = check(std::string(e.example), "example.sup");
        std::vector<std::string> codes = bad->codes();
        if (bad->program && codes.empty()) {
            elaborateAll(*bad->program, *bad->engine, env);
            codes = bad->codes();
        }
        INFO("reported: " << fmt::format("{}", fmt::join(bad->summary(), "; ")));
        REQUIRE_FALSE(codes.empty());
        CHECK(codes.front() == e.code);

        INFO("fix:\n" << e.fix);
        auto good = check(std::string(e.fix), "fix.sup");
        INFO("reported on the fix: " << fmt::format("{}", fmt::join(good->summary(), "; ")));
        REQUIRE(good->program);
        CHECK(good->codes().empty());
        CHECK(elaborateAll(*good->program, *good->engine, env).complete);
        CHECK(good->codes().empty());
    }
}

TEST_CASE("explanations render as text and as Markdown") {
    const CodeInfo& e = info(ErrorCode::E012);
    std::string text = renderExplanation(e, false);
    CHECK(text.rfind("E012 (unknown-enum-value): ", 0) == 0);
    CHECK(text.find("\nExample:\n\n    worker EmailSender") != std::string::npos);
    std::string md = renderExplanation(e, true);
    CHECK(md.rfind("## E012: ", 0) == 0);
    CHECK(md.find("```sup\nworker EmailSender") != std::string::npos);
    std::string doc = renderCatalogMarkdown();
    CHECK(doc.find("| [E041](#e041-an-unqualified-name-declared-by-several-imports)") !=
          std::string::npos);
}
