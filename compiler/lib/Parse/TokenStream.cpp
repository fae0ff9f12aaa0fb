#include "Parse/TokenStream.h"

namespace supc::parse {

std::unique_ptr<antlr4::Token> SlimTokenSource::nextToken() {
    // The parser reads tokens through SlimTokenStream, never from the source.
    throw antlr4::UnsupportedOperationException("SlimTokenSource::nextToken");
}

antlr4::TokenFactory<antlr4::CommonToken>* SlimTokenSource::getTokenFactory() {
    return antlr4::CommonTokenFactory::DEFAULT.get();
}

void SlimTokenStream::consume() {
    if (tokens_[p_].getType() == antlr4::Token::EOF)
        throw antlr4::IllegalStateException("cannot consume EOF");
    ++p_;
}

size_t SlimTokenStream::LA(ssize_t i) {
    antlr4::Token* t = LT(i);
    return t ? t->getType() : antlr4::Token::INVALID_TYPE;
}

antlr4::Token* SlimTokenStream::LT(ssize_t k) {
    if (k == 0)
        return nullptr;
    if (k < 0) {
        if (size_t(-k) > p_)
            return nullptr;
        return &tokens_[p_ - size_t(-k)];
    }
    size_t i = p_ + size_t(k) - 1;
    if (i >= tokens_.size())
        i = tokens_.size() - 1; // EOF repeats
    return &tokens_[i];
}

antlr4::Token* SlimTokenStream::get(size_t index) const {
    if (index >= tokens_.size())
        throw antlr4::IndexOutOfBoundsException("token index out of range");
    return &tokens_[index];
}

std::string SlimTokenStream::getText(const antlr4::misc::Interval& interval) {
    if (interval.a < 0 || interval.b < 0 || tokens_.empty())
        return "";
    size_t a = size_t(interval.a), b = std::min(size_t(interval.b), tokens_.size() - 1);
    if (a > b)
        return "";
    std::string out;
    for (size_t i = a; i <= b; ++i) {
        if (tokens_[i].getType() == antlr4::Token::EOF)
            break;
        if (!out.empty())
            out += ' ';
        out += tokens_[i].text();
    }
    return out;
}

std::string SlimTokenStream::getText() {
    return getText(antlr4::misc::Interval(0, ssize_t(tokens_.size()) - 1));
}

std::string SlimTokenStream::getText(antlr4::RuleContext* ctx) {
    return getText(ctx->getSourceInterval());
}

std::string SlimTokenStream::getText(antlr4::Token* start, antlr4::Token* stop) {
    if (!start || !stop)
        return "";
    return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
}

} // namespace supc::parse
