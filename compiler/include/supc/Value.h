// Values: what expressions evaluate to, in the checker (constants) and the elaborator.
#pragma once

#include "supc/Types.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace supc {

namespace ir {
class KindDecl;
}
class Value;

/// A kind with its arguments: what `PoolWorker(worker_id = 1)` or `std.Registry` evaluate
/// to when passed as a `kind` value or used as a child. `args` is indexed like the
/// declaration's parameters; an empty optional is a parameter left open, to be supplied
/// when the child is started (dynamic supervisors, std.Pool, ...).
struct KindValue {
    const ir::KindDecl* decl = nullptr;
    std::vector<std::optional<Value>> args;
    std::vector<bool> explicitArgs; // given at the use site (not a default)
};

class Value {
public:
    Value() = default; // the error value

    static Value makeInt(int64_t v) { return Value(Type::intType(), v); }
    static Value makeDecimal(double v) { return Value(Type::decimalType(), v); }
    static Value makeDuration(int64_t ms) { return Value(Type::durationType(), ms); }
    static Value makeString(std::string v) { return Value(Type::stringType(), std::move(v)); }
    static Value makeBool(bool v) { return Value(Type::boolType(), v); }
    static Value makeEnum(const Type* enumType, size_t index) {
        return Value(enumType, int64_t(index));
    }
    static Value makeList(const Type* listType, std::vector<Value> elements) {
        return Value(listType, std::make_shared<const std::vector<Value>>(std::move(elements)));
    }
    static Value makeKind(KindValue kind) {
        return Value(Type::kindType(), std::make_shared<const KindValue>(std::move(kind)));
    }
    /// An optional parameter left out.
    static Value makeNone(const Type* optionalType) {
        return Value(optionalType, std::monostate());
    }

    const Type* type() const { return type_; }
    bool isError() const { return type_->isError(); }
    bool isNone() const { return !isError() && std::holds_alternative<std::monostate>(data_); }

    int64_t asInt() const { return std::get<int64_t>(data_); }
    int64_t asMilliseconds() const { return std::get<int64_t>(data_); }
    double asDecimal() const {
        return std::holds_alternative<double>(data_) ? std::get<double>(data_)
                                                     : double(std::get<int64_t>(data_));
    }
    bool asBool() const { return std::get<bool>(data_); }
    const std::string& asString() const { return std::get<std::string>(data_); }
    size_t enumIndex() const { return size_t(std::get<int64_t>(data_)); }
    /// The enumerator's name (enum values only).
    const std::string& enumName() const;
    const std::vector<Value>& asList() const {
        return *std::get<std::shared_ptr<const std::vector<Value>>>(data_);
    }
    const KindValue& asKind() const { return *std::get<std::shared_ptr<const KindValue>>(data_); }

    /// The same value seen through another type (an int where a decimal or an optional is
    /// expected, a T where a T? is expected).
    Value withType(const Type* t) const;

    /// As written in a spec: 42, 5s, 1500ms, "text", true, unique, [1, 2], Cache(ttl = 60s)
    std::string str() const;
    /// Text for an interpolated id: ints in decimal, strings as they are, enumerator names.
    std::optional<std::string> interpolationText() const;

    bool operator==(const Value& o) const;

private:
    using Data =
        std::variant<std::monostate, int64_t, double, bool, std::string,
                     std::shared_ptr<const std::vector<Value>>, std::shared_ptr<const KindValue>>;
    template <class T>
    Value(const Type* t, T&& v) : type_(t), data_(std::forward<T>(v)) {}

    const Type* type_ = Type::errorType();
    Data data_;
};

/// A duration as a person writes it: 5s, 1500ms, 2m, 1h.
std::string formatDuration(int64_t ms);

} // namespace supc
