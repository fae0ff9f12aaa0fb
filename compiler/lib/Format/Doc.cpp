#include "Format/Doc.h"

#include <algorithm>

namespace supc::format {

namespace {
Doc make(Doc::Kind kind, std::string_view s = {}) {
    Doc d;
    d.kind = kind;
    d.text = s;
    return d;
}
Doc make(Doc::Kind kind, DocList parts, int indent = 0) {
    Doc d;
    d.kind = kind;
    d.parts = std::move(parts);
    d.indent = indent;
    return d;
}
} // namespace

Doc text(std::string_view s) {
    return make(Doc::Kind::Text, s);
}
Doc glue(std::string_view s) {
    return make(Doc::Kind::Glue, s);
}
Doc space() {
    return make(Doc::Kind::Space);
}
Doc line() {
    return make(Doc::Kind::Line);
}
Doc softLine() {
    return make(Doc::Kind::SoftLine);
}
Doc newline() {
    return make(Doc::Kind::Newline);
}
Doc blankLine() {
    return make(Doc::Kind::BlankLine);
}
Doc ifBreak(std::string_view s) {
    return make(Doc::Kind::IfBreak, s);
}
Doc comment(std::string_view s, bool isLine, bool newlineBefore, bool newlineAfter) {
    Doc d = make(Doc::Kind::Comment, s);
    d.isLineComment = isLine;
    d.newlineBefore = newlineBefore;
    d.newlineAfter = newlineAfter;
    return d;
}
Doc nest(int indent, DocList parts) {
    return make(Doc::Kind::Nest, std::move(parts), indent);
}
Doc group(DocList parts) {
    return make(Doc::Kind::Group, std::move(parts));
}
Doc concat(DocList parts) {
    return make(Doc::Kind::Concat, std::move(parts));
}

int displayWidth(std::string_view s) {
    int w = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++w;
    return w;
}

namespace {

bool multiLine(std::string_view s) {
    return s.find('\n') != std::string_view::npos;
}

// Width of the last line of `s` (what a multi-line comment leaves on its last line).
int lastLineWidth(std::string_view s) {
    size_t nl = s.rfind('\n');
    return displayWidth(nl == std::string_view::npos ? s : s.substr(nl + 1));
}

// Marks the groups that must break; returns whether `d` contains a hard break. The depth
// of a document follows the nesting of brackets and blocks, which the scanner bounds.
bool computeBreaks(Doc& d) {
    switch (d.kind) {
    case Doc::Kind::Text:
        return multiLine(d.text);
    case Doc::Kind::Newline:
    case Doc::Kind::BlankLine:
        return true;
    case Doc::Kind::Comment:
        return d.isLineComment || d.newlineBefore || multiLine(d.text);
    case Doc::Kind::Glue:
    case Doc::Kind::Space:
    case Doc::Kind::Line:
    case Doc::Kind::SoftLine:
    case Doc::Kind::IfBreak:
        return false;
    case Doc::Kind::Nest:
    case Doc::Kind::Group:
    case Doc::Kind::Concat: {
        bool any = false;
        for (Doc& p : d.parts)
            any |= computeBreaks(p);
        if (d.kind == Doc::Kind::Group)
            d.forceBreak = any;
        return any;
    }
    }
    return false;
}

struct OutLine {
    int indent = 0;
    std::string code;    // without the indentation
    std::string comment; // a line comment after the code (aligned with its neighbours')
    bool empty() const { return code.empty() && comment.empty(); }
};

class Printer {
public:
    explicit Printer(const PrintOptions& o) : o_(o) { lines_.emplace_back(); }

    std::string run(const Doc& root) {
        cmds_.push_back({0, Mode::Break, &root});
        while (!cmds_.empty()) {
            Cmd c = cmds_.back();
            cmds_.pop_back();
            step(c);
        }
        return output();
    }

private:
    enum class Mode { Flat, Break };
    struct Cmd {
        int indent;
        Mode mode;
        const Doc* doc;
    };
    // What the next text must do first: nothing, start a continuation line (after a line
    // comment in the comment column), or start a line at the indent of the comment on
    // the line before (after a comment on a line of its own).
    enum class Pending { None, Trailing, Own };

    OutLine& cur() { return lines_.back(); }

    int column() const {
        const OutLine& l = lines_.back();
        if (multiLine(l.code))
            return lastLineWidth(l.code);
        return l.indent + displayWidth(l.code) + (needSpace_ && !l.code.empty() ? 1 : 0);
    }

    void breakLine(int indent) {
        pending_ = Pending::None;
        needSpace_ = false;
        if (cur().empty()) {
            cur().indent = indent;
            return;
        }
        lines_.emplace_back();
        cur().indent = indent;
    }

    void blank(int indent) {
        breakLine(indent);
        if (lines_.size() >= 2 && !lines_[lines_.size() - 2].empty())
            lines_.insert(lines_.end() - 1, OutLine());
    }

    void emitText(std::string_view s, bool isGlue, int indent) {
        if (pending_ == Pending::Own)
            breakLine(pendingIndent_);
        else if (pending_ == Pending::Trailing && !isGlue)
            breakLine(indent + o_.continuationIndent);
        // A closing bracket takes no space, even after a block comment.
        bool closing = s == ")" || s == "]";
        if (!isGlue && !closing && needSpace_ && !cur().code.empty())
            cur().code += ' ';
        cur().code += s;
        needSpace_ = false;
    }

    void emitComment(const Doc& d, int indent) {
        if (d.newlineBefore) {
            if (pending_ == Pending::Own)
                breakLine(pendingIndent_);
            else if (!cur().empty())
                breakLine(indent + o_.continuationIndent);
            ownLine(d);
            return;
        }
        if (d.isLineComment) {
            if (pending_ != Pending::None || !cur().comment.empty() || cur().code.empty()) {
                // It cannot share this line: give it one of its own.
                breakLine(pending_ == Pending::Own ? pendingIndent_ : indent);
                ownLine(d);
                return;
            }
            cur().comment = d.text;
            pending_ = Pending::Trailing;
            return;
        }
        // A block comment inside a line.
        if (pending_ == Pending::Own)
            breakLine(pendingIndent_);
        else if (pending_ == Pending::Trailing)
            breakLine(indent + o_.continuationIndent);
        std::string& code = cur().code;
        if (!code.empty() && code.back() != '(' && code.back() != '[')
            code += ' ';
        code += d.text;
        needSpace_ = true;
    }

    // `d` on the current (empty) line.
    void ownLine(const Doc& d) {
        cur().code = d.text;
        needSpace_ = false;
        if (d.isLineComment || d.newlineAfter) {
            pending_ = Pending::Own;
            pendingIndent_ = cur().indent;
        } else {
            needSpace_ = true;
        }
    }

    void pushParts(const Doc& d, int indent, Mode mode) {
        for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it)
            cmds_.push_back({indent, mode, &*it});
    }

    void step(const Cmd& c) {
        const Doc& d = *c.doc;
        if (d.spaceBefore)
            needSpace_ = true;
        switch (d.kind) {
        case Doc::Kind::Text:
            emitText(d.text, false, c.indent);
            return;
        case Doc::Kind::Glue:
            emitText(d.text, true, c.indent);
            return;
        case Doc::Kind::Space:
            needSpace_ = true;
            return;
        case Doc::Kind::Line:
            if (c.mode == Mode::Break)
                breakLine(c.indent);
            else
                needSpace_ = true;
            return;
        case Doc::Kind::SoftLine:
            if (c.mode == Mode::Break)
                breakLine(c.indent);
            return;
        case Doc::Kind::Newline:
            breakLine(c.indent);
            return;
        case Doc::Kind::BlankLine:
            blank(c.indent);
            return;
        case Doc::Kind::IfBreak:
            if (c.mode == Mode::Break)
                emitText(d.text, true, c.indent);
            return;
        case Doc::Kind::Comment:
            emitComment(d, c.indent);
            return;
        case Doc::Kind::Nest:
            pushParts(d, c.indent + d.indent, c.mode);
            return;
        case Doc::Kind::Concat:
            pushParts(d, c.indent, c.mode);
            return;
        case Doc::Kind::Group: {
            Mode mode = Mode::Flat;
            if (c.mode == Mode::Break && (d.forceBreak || !fits(c)))
                mode = Mode::Break;
            pushParts(d, c.indent, mode);
            return;
        }
        }
    }

    // Whether group `g`, printed flat, and what follows it up to the next possible line
    // break fit on the current line.
    bool fits(const Cmd& g) const {
        int width = o_.lineWidth - column();
        if (pending_ != Pending::None)
            width = o_.lineWidth -
                    (pending_ == Pending::Own ? pendingIndent_ : g.indent + o_.continuationIndent);
        bool space = needSpace_ && pending_ == Pending::None && !lines_.back().code.empty();
        std::vector<Cmd> stack{{g.indent, Mode::Flat, g.doc}};
        size_t rest = cmds_.size();
        while (width >= 0) {
            if (stack.empty()) {
                if (rest == 0)
                    return true;
                stack.push_back(cmds_[--rest]);
                continue;
            }
            Cmd c = stack.back();
            stack.pop_back();
            const Doc& d = *c.doc;
            if (d.spaceBefore)
                space = true;
            switch (d.kind) {
            case Doc::Kind::Text:
                if (multiLine(d.text))
                    return true;
                width -= (space ? 1 : 0) + displayWidth(d.text);
                space = false;
                break;
            case Doc::Kind::Glue:
                width -= displayWidth(d.text);
                break;
            case Doc::Kind::IfBreak:
                if (c.mode == Mode::Break)
                    width -= displayWidth(d.text);
                break;
            case Doc::Kind::Space:
                space = true;
                break;
            case Doc::Kind::Line:
                if (c.mode == Mode::Break)
                    return true;
                space = true;
                break;
            case Doc::Kind::SoftLine:
                if (c.mode == Mode::Break)
                    return true;
                break;
            case Doc::Kind::Newline:
            case Doc::Kind::BlankLine:
                return true;
            case Doc::Kind::Comment:
                if (d.isLineComment || d.newlineBefore || multiLine(d.text))
                    return true;
                width -= 1 + displayWidth(d.text);
                space = true;
                break;
            case Doc::Kind::Nest:
            case Doc::Kind::Concat:
            case Doc::Kind::Group: {
                Mode mode = d.kind == Doc::Kind::Group && d.forceBreak ? Mode::Break : c.mode;
                int indent = c.indent + (d.kind == Doc::Kind::Nest ? d.indent : 0);
                for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it)
                    stack.push_back({indent, mode, &*it});
                break;
            }
            }
        }
        return false;
    }

    // The lines, with the comments of consecutive lines at one indent aligned.
    std::string output() {
        while (!lines_.empty() && lines_.back().empty())
            lines_.pop_back();
        auto alignable = [](const OutLine& l) {
            return !l.code.empty() && !l.comment.empty() && !multiLine(l.code);
        };
        std::string out;
        for (size_t i = 0; i < lines_.size();) {
            size_t end = i + 1;
            int commentColumn = 0;
            if (alignable(lines_[i])) {
                while (end < lines_.size() && alignable(lines_[end]) &&
                       lines_[end].indent == lines_[i].indent)
                    ++end;
                for (size_t k = i; k < end; ++k)
                    commentColumn = std::max(commentColumn,
                                             lines_[k].indent + displayWidth(lines_[k].code) + 2);
            }
            for (size_t k = i; k < end; ++k) {
                const OutLine& l = lines_[k];
                if (l.empty()) {
                    out += '\n';
                    continue;
                }
                out.append(size_t(l.indent), ' ');
                out += l.code;
                if (!l.comment.empty()) {
                    int pad = l.code.empty()  ? 0
                              : commentColumn ? commentColumn - l.indent - displayWidth(l.code)
                                              : 2;
                    out.append(size_t(pad), ' ');
                    out += l.comment;
                }
                out += '\n';
            }
            i = end;
        }
        return out;
    }

    const PrintOptions& o_;
    std::vector<OutLine> lines_;
    std::vector<Cmd> cmds_;
    bool needSpace_ = false;
    Pending pending_ = Pending::None;
    int pendingIndent_ = 0;
};

} // namespace

std::string print(Doc& doc, const PrintOptions& options) {
    computeBreaks(doc);
    return Printer(options).run(doc);
}

} // namespace supc::format
