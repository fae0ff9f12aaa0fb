#include "supc/Value.h"

#include "supc/IR.h"

#include <fmt/format.h>

namespace supc {

std::string formatDuration(int64_t ms) {
    if (ms != 0 && ms % 3'600'000 == 0)
        return fmt::format("{}h", ms / 3'600'000);
    if (ms != 0 && ms % 60'000 == 0)
        return fmt::format("{}m", ms / 60'000);
    if (ms != 0 && ms % 1000 == 0)
        return fmt::format("{}s", ms / 1000);
    return fmt::format("{}ms", ms);
}

const std::string& Value::enumName() const {
    return type_->enumerators().at(enumIndex());
}

Value Value::withType(const Type* t) const {
    if (isError() || t->isError())
        return *this;
    if (t->kind() == TypeKind::Optional)
        return withType(t->element());
    if (t->kind() == TypeKind::Decimal && type_->kind() == TypeKind::Int)
        return makeDecimal(double(asInt()));
    return *this;
}

std::string Value::str() const {
    if (isError())
        return "<error>";
    if (isNone())
        return "none";
    switch (type_->kind()) {
    case TypeKind::Int:
        return std::to_string(asInt());
    case TypeKind::Decimal:
        return fmt::format("{}", asDecimal());
    case TypeKind::Duration:
        return formatDuration(asMilliseconds());
    case TypeKind::String: {
        std::string out = "\"";
        for (char c : asString()) {
            if (c == '"' || c == '\\')
                out += '\\';
            if (c == '\n') {
                out += "\\n";
                continue;
            }
            if (c == '\t') {
                out += "\\t";
                continue;
            }
            out += c;
        }
        return out + "\"";
    }
    case TypeKind::Bool:
        return asBool() ? "true" : "false";
    case TypeKind::Enum:
        return enumName();
    case TypeKind::List: {
        std::string out = "[";
        const auto& l = asList();
        for (size_t i = 0; i < l.size(); ++i)
            out += (i ? ", " : "") + l[i].str();
        return out + "]";
    }
    case TypeKind::Kind: {
        const KindValue& k = asKind();
        std::string out = k.decl ? k.decl->qualifiedName : "<kind>";
        std::string args;
        for (size_t i = 0; k.decl && i < k.args.size(); ++i) {
            if (!k.args[i] || !k.explicitArgs[i])
                continue;
            if (!args.empty())
                args += ", ";
            args += k.decl->params[i].name + " = " + k.args[i]->str();
        }
        return args.empty() ? out : out + "(" + args + ")";
    }
    case TypeKind::Optional:
    case TypeKind::Error:
        break;
    }
    return "<error>";
}

std::optional<std::string> Value::interpolationText() const {
    if (isError() || isNone())
        return std::nullopt;
    switch (type_->kind()) {
    case TypeKind::Int:
        return std::to_string(asInt());
    case TypeKind::String:
        return asString();
    case TypeKind::Enum:
        return enumName();
    default:
        return std::nullopt;
    }
}

bool Value::operator==(const Value& o) const {
    if (type_ != o.type_)
        return false;
    if (data_.index() != o.data_.index())
        return false;
    switch (data_.index()) {
    case 0:
        return true;
    case 1:
        return std::get<int64_t>(data_) == std::get<int64_t>(o.data_);
    case 2:
        return std::get<double>(data_) == std::get<double>(o.data_);
    case 3:
        return std::get<bool>(data_) == std::get<bool>(o.data_);
    case 4:
        return std::get<std::string>(data_) == std::get<std::string>(o.data_);
    case 5:
        return asList() == o.asList();
    case 6: {
        const KindValue &a = asKind(), &b = o.asKind();
        return a.decl == b.decl && a.args == b.args;
    }
    }
    return false;
}

} // namespace supc
