// The types of .sup values. Types are interned for the life of the process: compare them
// by pointer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace supc {

enum class TypeKind : unsigned char {
    Int,      // 64-bit integer
    Decimal,  // double (only `jitter` takes one)
    Duration, // milliseconds
    String,
    Bool,
    Kind,     // a kind (worker kind, supervisor, ...) with some arguments bound
    List,     // list<T>
    Enum,     // enum(a, b, c): also the type of every enumerated setting
    Optional, // T?: a parameter that may be left out
    Error,    // an expression already reported as wrong: never reported again
};

class Type {
public:
    TypeKind kind() const { return kind_; }
    bool isError() const { return kind_ == TypeKind::Error; }
    /// List and Optional: the element type.
    const Type* element() const { return element_; }
    /// Enum: the enumerators, in declaration order.
    const std::vector<std::string>& enumerators() const { return enumerators_; }
    std::optional<size_t> enumeratorIndex(std::string_view name) const;

    /// "int", "list<duration>", "enum(unique, duplicate)", "int?"
    std::string str() const;
    /// With an article, for messages: "an int", "a list<int>", "one of: unique, duplicate"
    std::string describe() const;

    static const Type* intType();
    static const Type* decimalType();
    static const Type* durationType();
    static const Type* stringType();
    static const Type* boolType();
    static const Type* kindType();
    static const Type* errorType();
    static const Type* listOf(const Type* element);
    static const Type* optionalOf(const Type* element);
    static const Type* enumOf(std::vector<std::string> enumerators);

    Type(TypeKind k, const Type* element, std::vector<std::string> enumerators)
        : kind_(k), element_(element), enumerators_(std::move(enumerators)) {}

private:
    TypeKind kind_;
    const Type* element_ = nullptr;
    std::vector<std::string> enumerators_;
};

/// Whether a value of type `from` may be used where `to` is expected: the same type, T for
/// T?, int for decimal, and anything for or from the error type.
bool isAssignable(const Type* to, const Type* from);

} // namespace supc
