// The catalogue of error codes (ErrorCodes.def): the enum used when reporting, and the
// long explanations behind `supc explain` and docs/errors.md.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace supc {

enum class ErrorCode : unsigned short {
#define SUPC_ERROR(Code, name, selfContained, title, explanation, example, fix) Code,
#include "supc/ErrorCodes.def"
};

/// One catalogue entry: an E-code (and later, through the same structure, an L-code).
struct CodeInfo {
    std::string_view code;        // "E012"
    std::string_view name;        // "unknown-enum-value"
    bool selfContained;           // example/fix are complete specs (tested)
    std::string_view title;       // one line
    std::string_view explanation; // paragraphs
    std::string_view example;     // a failing spec (or transcript)
    std::string_view fix;         // the corrected spec (or what to do)
};

/// Every error code, in code order.
std::span<const CodeInfo> errorCatalog();

const CodeInfo& info(ErrorCode code);
inline std::string_view codeString(ErrorCode code) {
    return info(code).code;
}

/// Looks a code up by its text ("E012", case-insensitive) in every registered catalogue.
const CodeInfo* findCode(std::string_view text);

/// Registers another catalogue (the linter's L-codes) with findCode / explain.
void registerCatalog(std::span<const CodeInfo> entries);
/// Every entry of every registered catalogue, errors first.
std::span<const CodeInfo* const> allCodes();

/// `supc explain` output for one entry: plain text, or Markdown for docs/errors.md.
std::string renderExplanation(const CodeInfo& entry, bool markdown);
/// The whole of docs/errors.md.
std::string renderCatalogMarkdown();

} // namespace supc
