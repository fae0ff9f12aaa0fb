// Parsing: encoding check, scanner, then the generated ANTLR parser one top-level
// declaration at a time.
//
// Two-stage parsing: each declaration is parsed first in SLL mode with the bail-out
// strategy (fast, and enough for every valid spec of this grammar); only when that fails
// is it parsed again in full LL mode with error recovery, which reports the errors.
// The parse tree is freed after each declaration has been copied into the AST, so peak
// memory follows the largest declaration, not the file.
#include "supc/Parser.h"

#include "Parse/AstBuilder.h"
#include "Parse/Scanner.h"
#include "Parse/SyntaxErrors.h"
#include "Parse/TokenStream.h"
#include "SupParser.h"
#include "supc/EditDistance.h"

namespace supc {

using SP = grammar::SupParser;

std::optional<EncodingProblem> findEncodingProblem(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c == 0)
                return EncodingProblem{i, "file contains a NUL byte: is it a binary file?"};
            ++i;
            continue;
        }
        size_t len;
        uint32_t min;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            min = 0x10000;
        } else {
            return EncodingProblem{i, fmt::format("invalid UTF-8 byte 0x{:02X}", c)};
        }
        if (i + len > n)
            return EncodingProblem{i, "file ends in the middle of a UTF-8 sequence"};
        uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return EncodingProblem{i, fmt::format("invalid UTF-8 sequence starting with "
                                                      "byte 0x{:02X}",
                                                      c)};
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return EncodingProblem{
                i, fmt::format("invalid UTF-8 sequence starting with byte 0x{:02X}", c)};
        i += len;
    }
    return std::nullopt;
}

namespace {

// The ATN state of rule `file` that invokes `topDecl`. Each top-level declaration is
// parsed by calling topDecl() directly; entering it from this state gives error recovery
// the right follow set (another declaration, or the end of the file).
size_t fileInvokingState(const antlr4::atn::ATN& atn) {
    const antlr4::atn::ATNState* target = atn.ruleToStartState[SP::RuleTopDecl];
    for (const antlr4::atn::ATNState* s : atn.states) {
        if (!s || s->ruleIndex != SP::RuleFile)
            continue;
        for (const antlr4::atn::Transition* t : s->transitions)
            if (t->getSerializationType() == antlr4::atn::Transition::RULE && t->target == target)
                return s->stateNumber;
    }
    return antlr4::atn::ATNState::INVALID_STATE_NUMBER;
}

std::optional<ast::Decl::Kind> declKindOf(size_t tokenType) {
    switch (tokenType) {
    case SP::PACKAGE:
        return ast::Decl::Kind::Package;
    case SP::IMPORT:
        return ast::Decl::Kind::Import;
    case SP::CONST:
        return ast::Decl::Kind::Const;
    case SP::WORKER:
        return ast::Decl::Kind::Worker;
    case SP::SUPERVISOR:
        return ast::Decl::Kind::Supervisor;
    case SP::DYNAMIC_SUPERVISOR:
        return ast::Decl::Kind::DynamicSupervisor;
    case SP::APPLICATION:
        return ast::Decl::Kind::Application;
    default:
        return std::nullopt;
    }
}

// Records what the declaration starting at token `start` declares, when it is dropped:
// its keyword (or a misspelling of one, `supervisr Foo {`) and the name after it.
void recordDropped(parse::SlimTokenStream& stream, size_t start, ast::File& file) {
    auto* keyword = static_cast<parse::SlimToken*>(stream.get(start));
    std::optional<ast::Decl::Kind> kind = declKindOf(keyword->getType());
    size_t next = start + 1 < stream.size() ? stream.get(start + 1)->getType() : antlr4::Token::EOF;
    if (!kind && keyword->getType() == SP::IDENT && next == SP::IDENT) {
        static const std::vector<std::string> kWords = {
            "package",    "import", "const", "worker", "supervisor", "dynamic_supervisor",
            "application"};
        static const size_t kTypes[] = {SP::PACKAGE,    SP::IMPORT,     SP::CONST,
                                        SP::WORKER,     SP::SUPERVISOR, SP::DYNAMIC_SUPERVISOR,
                                        SP::APPLICATION};
        if (auto guess = closestMatch(keyword->getText(), kWords))
            for (size_t i = 0; i < kWords.size(); ++i)
                if (kWords[i] == *guess)
                    kind = declKindOf(kTypes[i]);
    }
    if (!kind)
        return; // not a declaration (a stray statement): it declared nothing
    if (*kind == ast::Decl::Kind::Package)
        return;
    ast::DroppedDecl d{*kind, "", keyword->range(), {}};
    if (*kind != ast::Decl::Kind::Import && next == SP::IDENT) {
        auto* name = static_cast<parse::SlimToken*>(stream.get(start + 1));
        d.name = std::string(name->text());
        d.nameRange = name->range();
    } else {
        file.namesIncomplete = true; // an import's names, or a name not read
    }
    file.dropped.push_back(std::move(d));
}

} // namespace

ParseResult parseBuffer(unsigned bufferId, DiagnosticEngine& diag) {
    const llvm::SourceMgr& sm = diag.sourceMgr();
    const llvm::MemoryBuffer* buffer = sm.getMemoryBuffer(bufferId);
    ParseResult result;
    result.file = std::make_unique<ast::File>();
    result.file->path = buffer->getBufferIdentifier().str();
    result.file->bufferId = bufferId;

    std::string_view text(buffer->getBufferStart(), buffer->getBufferSize());
    if (auto problem = findEncodingProblem(text)) {
        const char* at = buffer->getBufferStart() + problem->offset;
        diag.error(ErrorCode::E002, SourceRange::fromPointers(at, at + 1), problem->what)
            .note("specs must be UTF-8 text")
            .noSnippet();
        result.fatal = true;
        return result;
    }

    parse::ScanResult scanned = parse::scan(sm, bufferId, diag);
    if (!scanned.parseable) {
        result.fatal = true;
        return result;
    }
    for (const auto& t : scanned.hidden)
        if (t.getType() == grammar::SupParser::LINE_COMMENT ||
            t.getType() == grammar::SupParser::BLOCK_COMMENT)
            result.file->comments.push_back(t.range());
    if (scanned.tokens.size() == 1) { // only EOF
        // A file of nothing but unknown characters has its error already.
        bool comments = false, garbage = false;
        for (const auto& t : scanned.hidden)
            (t.getType() == grammar::SupParser::BAD_CHAR ? garbage : comments) = true;
        if (!garbage)
            diag.error(ErrorCode::E003, {}, "'{}' declares nothing: the file is empty{}",
                       result.file->path, comments ? " but for comments" : "")
                .file(result.file->path);
        result.fatal = true;
        return result;
    }

    parse::SlimTokenSource source(result.file->path);
    scanned.context->source = &source;
    parse::SlimTokenStream stream(scanned.tokens, source);
    SP parser(&stream);
    parser.removeErrorListeners(); // errors go through SyntaxErrorStrategy only
    auto* interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
    auto bail = std::make_shared<antlr4::BailErrorStrategy>();
    auto recovering = std::make_shared<parse::SyntaxErrorStrategy>(diag);
    const size_t invokingState = fileInvokingState(parser.getATN());

    parse::AstBuilder builder(diag);
    bool syntaxErrors = false;
    try {
        while (stream.LA(1) != antlr4::Token::EOF) {
            size_t start = stream.index();
            SP::TopDeclContext* decl = nullptr;
            bool declOk = true;

            interpreter->setPredictionMode(antlr4::atn::PredictionMode::SLL);
            parser.setErrorHandler(bail);
            parser.setState(invokingState);
            try {
                decl = parser.topDecl();
            } catch (const antlr4::ParseCancellationException&) {
                stream.seek(start);
                interpreter->setPredictionMode(antlr4::atn::PredictionMode::LL);
                parser.setErrorHandler(recovering);
                recovering->reset(&parser);
                parser.setState(invokingState);
                unsigned before = recovering->errorCount();
                decl = parser.topDecl();
                declOk = recovering->errorCount() == before;
                syntaxErrors |= !declOk;
            }
            // A declaration with a syntax error is dropped whole (a half-parsed one would
            // only produce errors about what is missing); what it declares is kept.
            if (auto d = declOk ? builder.build(decl) : nullptr)
                result.file->decls.push_back(std::move(d));
            else
                recordDropped(stream, start, *result.file);
            parser.getTreeTracker().reset();
            if (stream.index() == start)
                stream.consume(); // always make progress
        }
    } catch (const parse::StopParsing&) {
        syntaxErrors = true;
    }
    parser.getTreeTracker().reset();
    // After a syntax error the declarations that parsed are still checked; only the error
    // limit stops the parse early, and then nothing more is shown anyway.
    result.syntaxErrors = syntaxErrors;
    return result;
}

} // namespace supc
