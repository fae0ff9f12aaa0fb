#include "supc/Types.h"

#include <deque>
#include <map>

namespace supc {

namespace {

struct Interner {
    std::deque<Type> storage;
    std::map<const Type*, const Type*> lists, optionals;
    std::map<std::vector<std::string>, const Type*> enums;
    const Type* make(TypeKind k, const Type* element = nullptr,
                     std::vector<std::string> enumerators = {}) {
        storage.emplace_back(k, element, std::move(enumerators));
        return &storage.back();
    }
};

Interner& interner() {
    static Interner i;
    return i;
}

} // namespace

std::optional<size_t> Type::enumeratorIndex(std::string_view name) const {
    for (size_t i = 0; i < enumerators_.size(); ++i)
        if (enumerators_[i] == name)
            return i;
    return std::nullopt;
}

#define SUPC_PRIMITIVE(fn, K)                                                                      \
    const Type* Type::fn() {                                                                       \
        static const Type* t = interner().make(K);                                                 \
        return t;                                                                                  \
    }
SUPC_PRIMITIVE(intType, TypeKind::Int)
SUPC_PRIMITIVE(decimalType, TypeKind::Decimal)
SUPC_PRIMITIVE(durationType, TypeKind::Duration)
SUPC_PRIMITIVE(stringType, TypeKind::String)
SUPC_PRIMITIVE(boolType, TypeKind::Bool)
SUPC_PRIMITIVE(kindType, TypeKind::Kind)
SUPC_PRIMITIVE(errorType, TypeKind::Error)
#undef SUPC_PRIMITIVE

const Type* Type::listOf(const Type* element) {
    auto& i = interner();
    auto [it, inserted] = i.lists.try_emplace(element, nullptr);
    if (inserted)
        it->second = i.make(TypeKind::List, element);
    return it->second;
}

const Type* Type::optionalOf(const Type* element) {
    if (element->kind() == TypeKind::Optional)
        return element;
    auto& i = interner();
    auto [it, inserted] = i.optionals.try_emplace(element, nullptr);
    if (inserted)
        it->second = i.make(TypeKind::Optional, element);
    return it->second;
}

const Type* Type::enumOf(std::vector<std::string> enumerators) {
    auto& i = interner();
    auto it = i.enums.find(enumerators);
    if (it != i.enums.end())
        return it->second;
    const Type* t = i.make(TypeKind::Enum, nullptr, enumerators);
    i.enums.emplace(std::move(enumerators), t);
    return t;
}

std::string Type::str() const {
    switch (kind_) {
    case TypeKind::Int:
        return "int";
    case TypeKind::Decimal:
        return "decimal";
    case TypeKind::Duration:
        return "duration";
    case TypeKind::String:
        return "string";
    case TypeKind::Bool:
        return "bool";
    case TypeKind::Kind:
        return "kind";
    case TypeKind::List:
        return "list<" + element_->str() + ">";
    case TypeKind::Optional:
        return element_->str() + "?";
    case TypeKind::Error:
        return "<error>";
    case TypeKind::Enum: {
        std::string out = "enum(";
        for (size_t i = 0; i < enumerators_.size(); ++i)
            out += (i ? ", " : "") + enumerators_[i];
        return out + ")";
    }
    }
    return "<error>";
}

std::string Type::describe() const {
    switch (kind_) {
    case TypeKind::Int:
        return "an int";
    case TypeKind::Decimal:
        return "a decimal number";
    case TypeKind::Duration:
        return "a duration";
    case TypeKind::String:
        return "a string";
    case TypeKind::Bool:
        return "a bool";
    case TypeKind::Kind:
        return "a kind";
    case TypeKind::List:
        return "a " + str();
    case TypeKind::Optional:
        return element_->describe() + " (optional)";
    case TypeKind::Error:
        return "an invalid value";
    case TypeKind::Enum: {
        std::string out = "one of ";
        for (size_t i = 0; i < enumerators_.size(); ++i)
            out += (i ? ", " : "") + enumerators_[i];
        return out;
    }
    }
    return "a value";
}

bool isAssignable(const Type* to, const Type* from) {
    if (to == from || to->isError() || from->isError())
        return true;
    if (to->kind() == TypeKind::Optional)
        return isAssignable(to->element(), from);
    if (to->kind() == TypeKind::Decimal && from->kind() == TypeKind::Int)
        return true;
    return false;
}

} // namespace supc
