#include "supc/AST.h"

namespace supc::ast {

std::string QualifiedName::str() const {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += '.';
        out += parts[i];
    }
    return out;
}

char binaryOpSpelling(BinaryOp op) {
    switch (op) {
    case BinaryOp::Add:
        return '+';
    case BinaryOp::Sub:
        return '-';
    case BinaryOp::Mul:
        return '*';
    case BinaryOp::Div:
        return '/';
    case BinaryOp::Mod:
        return '%';
    }
    return '?';
}

} // namespace supc::ast
