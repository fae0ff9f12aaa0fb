// textDocument/completion. The buffer being typed is usually broken, so where the cursor
// is (in which block, after which setting or argument name) is read from the text before
// it, token by token; what may go there comes from the checked program (kinds, parameters,
// consts) and from the settings table (Settings.h).
#include "Protocol.h"
#include "supc/Settings.h"

#include <cctype>
#include <set>

namespace supc::lsp {

namespace json = llvm::json;

namespace {

enum ItemKind {
    Field = 5,
    Variable = 6,
    Class = 7,
    Property = 10,
    Keyword = 14,
    EnumMember = 20,
    Constant = 21
};

struct Tok {
    enum Kind { Ident, Punct, Other } kind;
    std::string text;
};

bool identStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool identChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// A bracket open at the cursor, with the tokens of the statement it was opened in.
struct Frame {
    char open = 0;           // '{', '(', '[' (0: the file)
    std::vector<Tok> header; // the statement's tokens before the bracket
};

struct Cursor {
    std::vector<Frame> frames; // innermost last
    std::vector<Tok> stmt;     // the current statement's tokens before the partial word
    bool inCommentOrString = false;
};

// Reads `text` (the part before the cursor, without the partial word).
Cursor scan(std::string_view text) {
    Cursor c;
    c.frames.push_back({});
    std::vector<Tok> cur;
    size_t i = 0, n = text.size();
    while (i < n) {
        char ch = text[i];
        if (ch == '/' && i + 1 < n && text[i + 1] == '/') {
            size_t e = text.find('\n', i);
            if (e == text.npos) {
                c.inCommentOrString = true;
                return c;
            }
            i = e + 1;
            continue;
        }
        if (ch == '/' && i + 1 < n && text[i + 1] == '*') {
            size_t e = text.find("*/", i + 2);
            if (e == text.npos) {
                c.inCommentOrString = true;
                return c;
            }
            i = e + 2;
            continue;
        }
        if (ch == '"') {
            size_t j = i + 1;
            while (j < n && text[j] != '"' && text[j] != '\n')
                j += text[j] == '\\' ? 2 : 1;
            if (j >= n) {
                c.inCommentOrString = true;
                return c;
            }
            cur.push_back({Tok::Other, "\"\""});
            i = j + 1;
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(ch))) {
            ++i;
            continue;
        }
        if (identStart(ch)) {
            size_t j = i;
            while (j < n && identChar(text[j]))
                ++j;
            cur.push_back({Tok::Ident, std::string(text.substr(i, j - i))});
            i = j;
            continue;
        }
        if (std::isdigit(static_cast<unsigned char>(ch))) {
            size_t j = i;
            while (j < n && (identChar(text[j]) || text[j] == '.'))
                ++j;
            cur.push_back({Tok::Other, std::string(text.substr(i, j - i))});
            i = j;
            continue;
        }
        ++i;
        switch (ch) {
        case '{':
        case '(':
        case '[':
            c.frames.push_back({ch, cur});
            cur.clear();
            break;
        case '}':
        case ')':
        case ']':
            if (c.frames.size() > 1) {
                cur = std::move(c.frames.back().header);
                c.frames.pop_back();
                if (ch == '}') // a block ends its statement
                    cur.clear();
                else
                    cur.push_back({Tok::Other, "()"});
            }
            break;
        case ';':
            cur.clear();
            break;
        default:
            cur.push_back({Tok::Punct, std::string(1, ch)});
        }
    }
    c.stmt = std::move(cur);
    return c;
}

bool is(const std::vector<Tok>& t, size_t i, std::string_view s) {
    return i < t.size() && t[i].text == s;
}

class Items {
public:
    explicit Items(std::string_view partial) : partial_(partial) {}
    void add(std::string label, int kind, std::string detail = "", std::string insert = "") {
        if (label.compare(0, partial_.size(), partial_) != 0 || !seen_.insert(label).second)
            return;
        json::Object o{{"label", label}, {"kind", kind}};
        if (!detail.empty())
            o["detail"] = std::move(detail);
        if (!insert.empty())
            o["insertText"] = std::move(insert);
        out.push_back(std::move(o));
    }
    json::Array out;

private:
    std::string partial_;
    std::set<std::string> seen_;
};

// Where in a declaration's body a statement is.
enum class Block { File, Supervisor, Dynamic, Worker, Program, Child, Loop, Other };

Block blockOf(const Cursor& c) {
    const Frame& f = c.frames.back();
    if (f.open == 0)
        return Block::File;
    if (f.open != '{' || f.header.empty())
        return Block::Other;
    const std::string& first = f.header.front().text;
    if (first == "supervisor" || first == "application")
        return Block::Supervisor;
    if (first == "dynamic_supervisor")
        return Block::Dynamic;
    if (first == "worker") {
        // `worker W(...) = program "cmd" {`: a program's block.
        for (std::size_t i = 1; i + 1 < f.header.size(); ++i)
            if (f.header[i].text == "=" && f.header[i + 1].text == "program")
                return Block::Program;
        return Block::Worker;
    }
    if (first == "child")
        return Block::Child;
    if (first == "for")
        return Block::Loop;
    return Block::Other;
}

const ir::Decl* declAt(const Analysis& a, const char* p) {
    if (const ir::Module* m = a.entryModule())
        for (const auto& d : m->decls)
            if (d->range.begin.getPointer() <= p && p <= d->range.end.getPointer())
                return d.get();
    return nullptr;
}

// Every kind visible in the entry file, as it may be written there.
void addKinds(const Analysis& a, Items& items) {
    const ir::Module* m = a.entryModule();
    if (!m)
        return;
    for (const auto& d : m->decls)
        if (auto* k = llvm::dyn_cast<ir::KindDecl>(d.get());
            k && k->kind() != ir::Decl::Kind::Application)
            items.add(k->name, Class, std::string(k->kindName()));
    std::map<std::string, int> unqualified;
    for (const auto& imp : m->imports)
        if (imp.module)
            for (const auto& d : imp.module->decls)
                if (llvm::isa<ir::KindDecl>(d.get()))
                    ++unqualified[d->name];
    for (const auto& imp : m->imports)
        if (imp.module)
            for (const auto& d : imp.module->decls)
                if (auto* k = llvm::dyn_cast<ir::KindDecl>(d.get());
                    k && k->kind() != ir::Decl::Kind::Application) {
                    items.add(imp.name + "." + k->name, Class, std::string(k->kindName()));
                    if (unqualified[k->name] == 1 && !m->find(k->name))
                        items.add(k->name, Class, std::string(k->kindName()) + " from " + imp.name);
                }
}

void addValues(const Analysis& a, const ir::Decl* within, Items& items) {
    if (const ir::Module* m = a.entryModule()) {
        for (const auto& d : m->decls)
            if (auto* c = llvm::dyn_cast<ir::ConstDecl>(d.get()))
                items.add(c->name, Constant, c->type->str());
        for (const auto& imp : m->imports)
            if (imp.module)
                for (const auto& d : imp.module->decls)
                    if (auto* c = llvm::dyn_cast<ir::ConstDecl>(d.get()))
                        items.add(imp.name + "." + c->name, Constant, c->type->str());
    }
    if (auto* k = llvm::dyn_cast_or_null<ir::KindDecl>(within))
        for (const auto& p : k->params)
            items.add(p.name, Variable, p.type->str());
}

const ir::KindDecl* findKind(const Analysis& a, const std::vector<Tok>& header) {
    // The qualified name just before the '(' : `std . Registry` or `Cache`.
    if (header.empty() || header.back().kind != Tok::Ident)
        return nullptr;
    std::string name = header.back().text;
    if (header.size() >= 3 && header[header.size() - 2].text == "." &&
        header[header.size() - 3].kind == Tok::Ident)
        name = header[header.size() - 3].text + "." + name;
    const ir::Module* m = a.entryModule();
    if (!m)
        return nullptr;
    auto dot = name.find('.');
    if (dot == name.npos) {
        if (auto* d = llvm::dyn_cast_or_null<ir::KindDecl>(m->find(name)))
            return d;
        for (const auto& imp : m->imports)
            if (imp.module)
                if (auto* d = llvm::dyn_cast_or_null<ir::KindDecl>(imp.module->find(name)))
                    return d;
        return nullptr;
    }
    for (const auto& imp : m->imports)
        if (imp.module && imp.name == name.substr(0, dot))
            return llvm::dyn_cast_or_null<ir::KindDecl>(imp.module->find(name.substr(dot + 1)));
    return nullptr;
}

// The values a setting takes, by its form (Settings.h): none is listed per setting.
void addSettingValues(const SettingInfo& s, Items& items) {
    switch (s.form) {
    case SettingForm::Enum:
        for (const auto& e : s.type()->enumerators())
            // Only the signals a process can be asked to stop with (E046 rejects the others).
            if (s.type() != signalType() || signalCanStop(e))
                items.add(e, EnumMember, std::string(s.name));
        return;
    case SettingForm::Bool:
        items.add("true", EnumMember);
        items.add("false", EnumMember);
        return;
    case SettingForm::Shutdown:
        items.add("brutal_kill", EnumMember);
        items.add("infinity", EnumMember);
        items.add("5s", EnumMember, "a duration");
        return;
    case SettingForm::Backoff:
        items.add("none", EnumMember);
        items.add("exponential", EnumMember, "exponential(MIN, MAX, jitter = J)",
                  "exponential(1s, 30s)");
        return;
    case SettingForm::Intensity:
        items.add("3 per 5s", EnumMember, "N per DURATION");
        return;
    case SettingForm::Timeout:
        items.add("infinity", EnumMember);
        items.add("30s", EnumMember, "a duration");
        return;
    case SettingForm::Name:
        items.add("via", EnumMember, "via(REGISTRY, KEY): a key in a std.Registry",
                  "via(\"registry\", \"key\")");
        return;
    case SettingForm::OptionalInt:
    case SettingForm::Ids:
    case SettingForm::String:
    case SettingForm::Strings:
        return;
    }
}

void addTypeValues(const Analysis& a, const ir::Decl* within, const Type* t, Items& items) {
    if (t->kind() == TypeKind::Optional)
        t = t->element();
    switch (t->kind()) {
    case TypeKind::Enum:
        for (const auto& e : t->enumerators())
            items.add(e, EnumMember, t->str());
        return;
    case TypeKind::Bool:
        items.add("true", EnumMember);
        items.add("false", EnumMember);
        break;
    case TypeKind::Kind:
        addKinds(a, items);
        break;
    default:
        break;
    }
    addValues(a, within, items);
}

void childIds(const std::vector<ir::BodyItemPtr>& items, Items& out) {
    for (const auto& i : items) {
        if (auto* c = llvm::dyn_cast<ir::ChildDecl>(i.get())) {
            if (c->id.isPlain())
                out.add(c->id.plainText(), Field, std::string(c->kindRange.text()));
        } else if (auto* l = llvm::dyn_cast<ir::Loop>(i.get())) {
            childIds(l->body, out);
        }
    }
}

// A supervisor whose text does not parse: the ids of the children before the cursor, read
// from the text since the declaration began (a line starting with a declaration keyword),
// but the last one's, the child whose `needs` is being written.
void earlierChildIds(std::string_view before, Items& out) {
    size_t start = 0;
    for (std::string_view k : {"\nsupervisor", "\napplication"})
        if (size_t p = before.rfind(k); p != before.npos)
            start = std::max(start, p + 1);
    std::vector<std::string> ids;
    std::string_view t = before.substr(start);
    for (size_t i = t.find("child"); i != t.npos; i = t.find("child", i + 5)) {
        if (i > 0 && identChar(t[i - 1]))
            continue;
        size_t j = i + 5;
        if (j >= t.size() || !std::isspace(static_cast<unsigned char>(t[j])))
            continue;
        while (j < t.size() && std::isspace(static_cast<unsigned char>(t[j])))
            ++j;
        size_t e = j;
        while (e < t.size() && identChar(t[e]))
            ++e;
        if (e > j && identStart(t[j]))
            ids.emplace_back(t.substr(j, e - j));
    }
    if (!ids.empty())
        ids.pop_back();
    for (const auto& id : ids)
        out.add(id, Field);
}

} // namespace

json::Value completion(const Analysis& a, Locator& loc, Position pos) {
    std::string_view text = a.text();
    size_t offset = std::min(loc.entryOffset(pos), text.size());
    size_t wordBegin = offset;
    while (wordBegin > 0 && identChar(text[wordBegin - 1]))
        --wordBegin;
    std::string_view partial = text.substr(wordBegin, offset - wordBegin);
    Cursor c = scan(text.substr(0, wordBegin));
    Items items(partial);
    if (c.inCommentOrString)
        return json::Object{{"isIncomplete", false}, {"items", std::move(items.out)}};
    const ir::Decl* within = declAt(a, text.data() + offset);
    const std::vector<Tok>& st = c.stmt;
    const Frame& top = c.frames.back();

    if (top.open == '(') {
        // In an argument list: after '(' or ',' an argument name; after `name =` its value.
        bool exponential = !top.header.empty() && top.header.back().text == "exponential";
        const ir::KindDecl* kind = exponential ? nullptr : findKind(a, top.header);
        if (st.empty() || st.back().text == ",") {
            std::set<std::string> given;
            for (size_t i = 0; i + 1 < st.size(); ++i)
                if (st[i].kind == Tok::Ident && st[i + 1].text == "=")
                    given.insert(st[i].text);
            if (exponential)
                for (const char* n : {"min", "max", "jitter"})
                    items.add(n, Field, "", std::string(n) + " = ");
            if (kind)
                for (const auto& p : kind->params)
                    if (!given.count(p.name))
                        items.add(p.name, Field, p.type->str(), p.name + " = ");
            if (!kind && !exponential)
                addValues(a, within, items);
        } else if (st.size() >= 2 && st.back().text == "=" &&
                   st[st.size() - 2].kind == Tok::Ident) {
            if (kind)
                if (const ir::Param* p = kind->findParam(st[st.size() - 2].text))
                    addTypeValues(a, within, p->type, items);
            if (!kind)
                addValues(a, within, items);
        } else {
            addValues(a, within, items);
        }
    } else if (top.open == '[') {
        // `needs = [` : sibling ids.
        bool needs = top.header.size() >= 2 && top.header[0].text == "needs";
        if (needs) {
            if (auto* sup = llvm::dyn_cast_or_null<ir::SupervisorDecl>(within))
                childIds(sup->body, items);
            else
                earlierChildIds(text.substr(0, wordBegin), items);
        } else {
            addValues(a, within, items);
        }
    } else {
        Block block = blockOf(c);
        if (st.empty()) {
            unsigned place = block == Block::Supervisor ? unsigned(InSupervisor)
                             : block == Block::Dynamic  ? InDynamicSupervisor
                             : block == Block::Worker   ? InWorkerDecl
                             : block == Block::Program  ? InProgramDecl
                             : block == Block::Child    ? InChild
                                                        : 0u;
            for (const auto& s : allSettings())
                if (s.places & place)
                    items.add(std::string(s.name), Property, std::string(s.expected),
                              std::string(s.name) + " = ");
            if (block == Block::Supervisor || block == Block::Loop) {
                items.add("child", Keyword, "child ID = Kind(args);");
                items.add("for", Keyword, "for VAR in A..B { ... }");
            }
            if (block == Block::File)
                for (const char* k : {"package", "import", "const", "worker", "supervisor",
                                      "dynamic_supervisor", "application"})
                    items.add(k, Keyword);
        } else if (st.size() == 2 && st[0].kind == Tok::Ident && st[1].text == "=" &&
                   block != Block::File) {
            if (const SettingInfo* s = findSetting(st[0].text))
                addSettingValues(*s, items);
            else
                addValues(a, within, items);
        } else if (st.size() == 3 && st[0].text == "child" && st[2].text == "=") {
            addKinds(a, items);
            addValues(a, within, items); // a parameter of type kind
        } else if (block == Block::File && !st.empty() && st[0].text == "dynamic_supervisor" &&
                   st.back().text == "of") {
            addKinds(a, items);
        } else if (!st.empty() && (st.back().kind == Tok::Punct || is(st, st.size() - 1, "per"))) {
            addValues(a, within, items);
        }
    }
    return json::Object{{"isIncomplete", false}, {"items", std::move(items.out)}};
}

} // namespace supc::lsp
