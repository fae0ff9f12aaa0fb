#include "supc/lsp/Server.h"

#include "Protocol.h"
#include "supc/Checker.h"
#include "supc/TextEscape.h"
#include "supc/lsp/Transport.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <fcntl.h>
#include <fmt/format.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>
#include <mutex>
#include <poll.h>
#include <set>
#include <thread>
#include <unistd.h>

namespace supc::lsp {

namespace json = llvm::json;
using Clock = std::chrono::steady_clock;

namespace {

// JSON-RPC and LSP error codes.
enum ErrorCode {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    ServerNotInitialized = -32002,
    RequestFailed = -32803,
    RequestCancelled = -32800,
};

std::string idKey(const json::Value& id) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << id;
    return os.str();
}

const char* const kKeywords[] = {
    "package",     "import", "const", "worker", "supervisor", "dynamic_supervisor",
    "application", "child",  "for",   "in",     "of",         "from",
    "per",         "true",   "false"};

bool isIdentifier(std::string_view s) {
    if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
        return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
            return false;
    for (const char* k : kKeywords)
        if (s == k)
            return false;
    return true;
}

bool fuzzyMatch(std::string_view query, std::string_view name) {
    size_t j = 0;
    for (size_t i = 0; i < name.size() && j < query.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(name[i])) ==
            std::tolower(static_cast<unsigned char>(query[j])))
            ++j;
    return j == query.size();
}

} // namespace

struct Server::Impl {
    Impl(int in, int out, ServerOptions o) : inFd(in), outFd(out), opts(std::move(o)) {}

    int inFd, outFd;
    ServerOptions opts;

    // ---- the reader thread and the queue
    std::mutex mu;
    std::condition_variable cv;
    std::deque<json::Value> queue;
    bool eof = false;
    std::set<std::string> cancelled;
    std::thread reader;
    int wake[2] = {-1, -1};

    // ---- state of the main thread
    DocumentStore docs;
    struct DocState {
        std::shared_ptr<Analysis> analysis;
        uint64_t analyzedGeneration = 0;
        bool dirty = false;
        Clock::time_point due, firstDirty;
        std::set<std::string> imports; // canonical paths the last analysis loaded
    };
    std::map<std::string, DocState> states; // by URI
    Context ctx;
    bool initialized = false, shutdownRequested = false;
    std::vector<std::string> roots;

    // ------------------------------------------------------------------ I/O
    void readLoop() {
        MessageReader r(inFd, wake[0]);
        for (;;) {
            std::string error;
            std::optional<std::string> body = r.read(&error);
            if (!body) {
                if (!error.empty())
                    llvm::errs() << "supc lsp: error: " << error << "; ending the session\n";
                break;
            }
            llvm::Expected<json::Value> v = json::parse(*body);
            std::lock_guard<std::mutex> lock(mu);
            if (!v) {
                llvm::consumeError(v.takeError());
                queue.push_back(json::Object{{"supc.parseError", true}});
            } else {
                const json::Object* o = v->getAsObject();
                auto method = o ? o->getString("method") : llvm::None;
                if (method && *method == "$/cancelRequest") {
                    if (const json::Object* p = o->getObject("params"))
                        if (const json::Value* id = p->get("id"))
                            cancelled.insert(idKey(*id));
                    continue;
                }
                queue.push_back(std::move(*v));
            }
            cv.notify_one();
        }
        std::lock_guard<std::mutex> lock(mu);
        eof = true;
        cv.notify_one();
    }

    std::mutex writeMu;
    void send(json::Value v) {
        std::string s;
        llvm::raw_string_ostream os(s);
        os << v;
        std::lock_guard<std::mutex> lock(writeMu);
        writeMessage(outFd, os.str());
    }
    void reply(const json::Value& id, json::Value result) {
        send(json::Object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
    }
    void replyError(const json::Value& id, int code, std::string message) {
        send(
            json::Object{{"jsonrpc", "2.0"},
                         {"id", id},
                         {"error", json::Object{{"code", code}, {"message", std::move(message)}}}});
    }
    void notify(std::string method, json::Value params) {
        send(json::Object{
            {"jsonrpc", "2.0"}, {"method", std::move(method)}, {"params", std::move(params)}});
    }
    bool isCancelled(const json::Value& id) {
        std::lock_guard<std::mutex> lock(mu);
        return cancelled.count(idKey(id)) != 0;
    }

    // ------------------------------------------------------------------ analyses
    std::string uriOf(const std::string& path) {
        if (const Document* d = docs.findByPath(path))
            return d->uri;
        return pathToUri(path);
    }

    Analysis::Options analysisOptions(bool lint) {
        Analysis::Options o;
        o.lint = lint;
        o.check.stdlibDir = opts.stdlibDir;
        o.check.openBuffer = [this](const std::string& path) -> std::optional<std::string> {
            if (const Document* d = docs.findByPath(canonicalSpecPath(path)))
                return d->text;
            return std::nullopt;
        };
        return o;
    }

    static std::string docPath(const Document& d) {
        if (!d.path.empty())
            return d.path;
        // Not a file (an untitled buffer): named in the current directory, where its
        // imports are looked for.
        llvm::SmallString<256> p;
        llvm::sys::fs::current_path(p);
        llvm::sys::path::append(p, "untitled.sup");
        return std::string(p.str());
    }

    std::shared_ptr<Analysis> analyze(Document& d) {
        DocState& st = states[d.uri];
        if (st.analysis && st.analyzedGeneration == d.generation)
            return st.analysis;
        st.analysis = Analysis::run(docPath(d), d.text, analysisOptions(true));
        st.analyzedGeneration = d.generation;
        st.dirty = false;
        st.imports.clear();
        if (st.analysis->program)
            for (const auto& m : st.analysis->program->modules)
                if (m.get() != st.analysis->program->entry)
                    st.imports.insert(m->canonicalPath);
        publish(d, *st.analysis);
        return st.analysis;
    }

    void publish(const Document& d, const Analysis& a) {
        Locator loc(a, ctx);
        json::Array diags;
        for (const auto& diag : a.diagnostics) {
            // Only this file's: an import's problems are published with it when it is
            // open, and shown at the import otherwise (the checker points there).
            if (diag.range.isValid() && a.entryOffset(diag.range.begin) < 0)
                continue;
            if (!diag.range.isValid() && !diag.file.empty() &&
                canonicalSpecPath(diag.file) != docPath(d))
                continue;
            if (auto v = toLspDiagnostic(diag, loc))
                diags.push_back(std::move(*v));
        }
        importErrors(a, loc, diags);
        notify("textDocument/publishDiagnostics", json::Object{{"uri", d.uri},
                                                               {"version", d.version},
                                                               {"diagnostics", std::move(diags)}});
    }

    // Errors in imported files, shown at the import that brings each file in (as clangd
    // shows an included header's): the file's own diagnostics appear when it is opened,
    // but they are why this one is not elaborated or linted.
    static void importErrors(const Analysis& a, Locator& loc, json::Array& out) {
        const ir::Module* entry = a.entryModule();
        if (!entry)
            return;
        std::map<unsigned, std::pair<unsigned, const Diagnostic*>> byBuffer; // count, first
        for (const auto& diag : a.diagnostics)
            if (diag.severity == Severity::Error && diag.range.isValid() &&
                a.entryOffset(diag.range.begin) < 0) {
                unsigned id = a.sm.FindBufferContainingLoc(diag.range.begin);
                if (id == 0)
                    continue;
                auto& [count, first] = byBuffer[id];
                if (!count++)
                    first = &diag;
            }
        for (const auto& [buffer, info] : byBuffer) {
            // The import of that file, else (imported through another) the first import.
            const ir::Import* at = entry->imports.empty() ? nullptr : &entry->imports.front();
            for (const auto& imp : entry->imports)
                if (imp.module && imp.module->bufferId == buffer)
                    at = &imp;
            auto range = at ? loc.range(at->range) : std::nullopt;
            if (!range)
                continue;
            std::string name = a.sm.getMemoryBuffer(buffer)->getBufferIdentifier().str();
            std::string more = info.first > 1 ? fmt::format(" (and {} more errors)", info.first - 1)
                                              : std::string();
            json::Object diag{
                {"range", toJson(*range)},
                {"severity", 1},
                {"source", "supc"},
                {"message", toValidUtf8(fmt::format("in imported file '{}': {}{}", name,
                                                    info.second->message, more))}};
            if (auto where = loc.location(info.second->range))
                diag["relatedInformation"] =
                    json::Array{json::Object{{"location", std::move(*where)},
                                             {"message", toValidUtf8(info.second->message)}}};
            out.push_back(std::move(diag));
        }
    }

    void markDirty(const std::string& uri, std::chrono::milliseconds delay) {
        DocState& st = states[uri];
        auto now = Clock::now();
        if (!st.dirty)
            st.firstDirty = now;
        st.dirty = true;
        st.due = now + delay;
    }

    // Edits to `d` change what its importers see.
    void markImporters(const Document& d) {
        for (auto& [uri, st] : states)
            if (uri != d.uri && st.imports.count(docPath(d))) {
                st.analyzedGeneration = 0; // its own text is unchanged, what it imports is not
                markDirty(uri, std::chrono::milliseconds(opts.debounceMs * 2));
            }
    }

    std::optional<Clock::time_point> nextDue() {
        std::optional<Clock::time_point> next;
        auto cap = std::chrono::milliseconds(opts.debounceMs * 10);
        for (auto& [uri, st] : states)
            if (st.dirty) {
                auto t = std::min(st.due, st.firstDirty + cap);
                if (!next || t < *next)
                    next = t;
            }
        return next;
    }

    void runDue(bool queueEmpty) {
        auto now = Clock::now();
        auto cap = std::chrono::milliseconds(opts.debounceMs * 10);
        for (auto& [uri, st] : states) {
            if (!st.dirty)
                continue;
            // Due when typing has paused, or when it has gone on for a while.
            if ((queueEmpty && st.due <= now) || st.firstDirty + cap <= now)
                if (Document* d = docs.find(uri))
                    analyze(*d);
        }
    }

    // Every .sup file of the workspace (open ones as they are in the editor), analysed
    // without lint, for the requests that look across files. Stops early, returning false,
    // when request `id` is cancelled.
    bool forEachWorkspaceFile(const json::Value& id,
                              const std::function<void(const Analysis&)>& fn) {
        std::set<std::string> seen;
        for (auto& [uri, d] : docs.all()) {
            Document& doc = *docs.find(uri);
            fn(*analyze(doc));
            seen.insert(docPath(doc));
        }
        unsigned count = 0;
        for (const auto& root : roots) {
            std::error_code ec;
            for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end;
                 it != end && !ec && count < opts.maxWorkspaceFiles; it.increment(ec)) {
                llvm::StringRef name = llvm::sys::path::filename(it->path());
                if (it->type() == llvm::sys::fs::file_type::directory_file) {
                    if (name.startswith(".") || name == "node_modules" || name.startswith("build"))
                        it.no_push();
                    continue;
                }
                if (llvm::sys::path::extension(name) != ".sup")
                    continue;
                std::string path = canonicalSpecPath(it->path());
                if (!seen.insert(path).second)
                    continue;
                ++count;
                if (isCancelled(id))
                    return false;
                auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
                if (!buffer || (*buffer)->getBufferSize() > (size_t(64) << 20))
                    continue;
                auto a = Analysis::run(path, (*buffer)->getBuffer().str(), analysisOptions(false));
                fn(*a);
            }
        }
        return !isCancelled(id);
    }

    // ------------------------------------------------------------------ requests
    Document* docOf(const json::Object* params) {
        const json::Object* td = params ? params->getObject("textDocument") : nullptr;
        if (!td || !td->getString("uri"))
            return nullptr;
        return docs.find(td->getString("uri")->str());
    }

    void initialize(const json::Value& id, const json::Object* params) {
        initialized = true;
        std::string encoding = "utf-16";
        if (params) {
            if (const json::Object* caps = params->getObject("capabilities"))
                if (const json::Object* general = caps->getObject("general"))
                    if (const json::Array* encs = general->getArray("positionEncodings"))
                        for (const auto& e : *encs)
                            if (e.getAsString() && *e.getAsString() == "utf-8") {
                                ctx.encoding = PositionEncoding::Utf8;
                                encoding = "utf-8";
                            }
            if (const json::Array* folders = params->getArray("workspaceFolders"))
                for (const auto& f : *folders)
                    if (const json::Object* fo = f.getAsObject())
                        if (auto uri = fo->getString("uri"))
                            if (std::string p = uriToPath(*uri); !p.empty())
                                roots.push_back(p);
            if (roots.empty())
                if (auto uri = params->getString("rootUri"))
                    if (std::string p = uriToPath(*uri); !p.empty())
                        roots.push_back(p);
        }
        json::Object caps{
            {"positionEncoding", encoding},
            {"textDocumentSync", json::Object{{"openClose", true}, {"change", 2}, {"save", false}}},
            {"hoverProvider", true},
            {"definitionProvider", true},
            {"referencesProvider", true},
            {"documentSymbolProvider", true},
            {"workspaceSymbolProvider", true},
            {"documentFormattingProvider", true},
            {"completionProvider",
             json::Object{{"triggerCharacters", json::Array{"=", "(", ",", "[", "."}}}},
            {"codeActionProvider", json::Object{{"codeActionKinds", json::Array{"quickfix"}}}},
            {"renameProvider", json::Object{{"prepareProvider", true}}},
        };
        reply(id, json::Object{
                      {"capabilities", std::move(caps)},
                      {"serverInfo", json::Object{{"name", "supc"}, {"version", SUPC_VERSION}}}});
    }

    void references(const json::Value& id, Analysis& a, Position pos, bool includeDecl) {
        Locator here(a, ctx);
        const Occurrence* o = a.occurrenceAt(here.entryOffset(pos));
        if (!o)
            return reply(id, nullptr);
        std::string key = o->symbol.key();
        json::Array out;
        std::set<std::string> seen;
        bool done = forEachWorkspaceFile(id, [&](const Analysis& other) {
            Locator loc(other, ctx);
            for (const auto& occ : other.occurrences) {
                if (occ.symbol.key() != key || (occ.isDefinition && !includeDecl))
                    continue;
                auto l = loc.location(occ.range);
                if (!l)
                    continue;
                std::string k = idKey(*l);
                if (seen.insert(k).second)
                    out.push_back(std::move(*l));
            }
        });
        if (!done)
            return replyError(id, RequestCancelled, "cancelled");
        reply(id, std::move(out));
    }

    const Occurrence* renameTarget(Analysis& a, Position pos, std::string* why) {
        Locator loc(a, ctx);
        const Occurrence* o = a.occurrenceAt(loc.entryOffset(pos));
        if (!o || o->symbol.kind != Symbol::Kind::Decl) {
            *why = "only a kind, supervisor or const can be renamed";
            return nullptr;
        }
        if (o->symbol.module && o->symbol.module->isStdlib) {
            *why = "'" + o->symbol.decl->name + "' is declared in the standard library";
            return nullptr;
        }
        return o;
    }

    void rename(const json::Value& id, Analysis& a, Position pos, const std::string& newName) {
        std::string why;
        const Occurrence* o = renameTarget(a, pos, &why);
        if (!o)
            return replyError(id, RequestFailed, why);
        if (!isIdentifier(newName))
            return replyError(id, InvalidParams,
                              "'" + newName + "' is not a name (or is a keyword)");
        if (o->symbol.module && o->symbol.module->find(newName))
            return replyError(
                id, RequestFailed,
                toValidUtf8("'" + newName + "' is already declared in " + o->symbol.module->path));
        std::string key = o->symbol.key();
        std::map<std::string, json::Array> changes;
        std::set<std::string> seen;
        bool done = forEachWorkspaceFile(id, [&](const Analysis& other) {
            Locator loc(other, ctx);
            for (const auto& occ : other.occurrences) {
                if (occ.symbol.key() != key)
                    continue;
                auto r = loc.range(occ.range);
                if (!r)
                    continue;
                std::string uri = loc.uriOf(occ.range.begin);
                json::Value edit = json::Object{{"range", toJson(*r)}, {"newText", newName}};
                if (seen.insert(uri + idKey(edit)).second)
                    changes[uri].push_back(std::move(edit));
            }
        });
        if (!done)
            return replyError(id, RequestCancelled, "cancelled");
        json::Object c;
        for (auto& [uri, edits] : changes)
            c[uri] = std::move(edits);
        reply(id, json::Object{{"changes", std::move(c)}});
    }

    void workspaceSymbols(const json::Value& id, std::string query) {
        json::Array out;
        std::set<std::string> seen;
        bool done = forEachWorkspaceFile(id, [&](const Analysis& a) {
            const ir::Module* m = a.entryModule();
            if (!m)
                return;
            Locator loc(a, ctx);
            for (const auto& d : m->decls) {
                if (!fuzzyMatch(query, d->name))
                    continue;
                auto l = loc.location(d->nameRange);
                if (!l || !seen.insert(idKey(*l)).second)
                    continue;
                int kind = d->kind() == ir::Decl::Kind::Const    ? 14
                           : d->kind() == ir::Decl::Kind::Worker ? 5
                                                                 : 2;
                out.push_back(json::Object{{"name", d->name},
                                           {"kind", kind},
                                           {"location", std::move(*l)},
                                           {"containerName", m->name}});
            }
        });
        if (!done)
            return replyError(id, RequestCancelled, "cancelled");
        reply(id, std::move(out));
    }

    void handleRequest(const json::Value& id, llvm::StringRef method, const json::Object* params) {
        if (method == "initialize")
            return initialize(id, params);
        if (!initialized)
            return replyError(id, ServerNotInitialized, "the server is not initialized");
        if (shutdownRequested)
            return replyError(id, InvalidRequest, "the server is shutting down");
        if (method == "shutdown") {
            shutdownRequested = true;
            return reply(id, nullptr);
        }
        if (method == "workspace/symbol") {
            auto q = params ? params->getString("query") : llvm::None;
            return workspaceSymbols(id, q ? q->str() : std::string());
        }
        Document* d = docOf(params);
        static const std::set<std::string> docMethods = {
            "textDocument/hover",          "textDocument/definition", "textDocument/references",
            "textDocument/documentSymbol", "textDocument/completion", "textDocument/formatting",
            "textDocument/codeAction",     "textDocument/rename",     "textDocument/prepareRename"};
        if (!docMethods.count(method.str()))
            return replyError(id, MethodNotFound, "unknown method '" + method.str() + "'");
        if (!d)
            return replyError(id, InvalidParams, "the document is not open");
        if (method == "textDocument/formatting")
            return reply(id, formatting(docPath(*d), d->text, ctx.encoding));
        std::shared_ptr<Analysis> a = analyze(*d);
        Locator loc(*a, ctx);
        if (method == "textDocument/documentSymbol")
            return reply(id, documentSymbols(*a, loc));
        if (method == "textDocument/codeAction") {
            auto r = rangeFrom(params->get("range"));
            if (!r)
                return replyError(id, InvalidParams, "a codeAction needs a range");
            return reply(id, codeActions(*a, loc, d->uri, *r));
        }
        auto pos = positionFrom(params->get("position"));
        if (!pos)
            return replyError(id, InvalidParams, "the request needs a position");
        if (method == "textDocument/hover")
            return reply(id, hover(*a, loc, *pos));
        if (method == "textDocument/definition")
            return reply(id, definition(*a, loc, *pos));
        if (method == "textDocument/completion")
            return reply(id, completion(*a, loc, *pos));
        if (method == "textDocument/references") {
            bool includeDecl = false;
            if (const json::Object* c = params->getObject("context"))
                includeDecl = c->getBoolean("includeDeclaration").getValueOr(false);
            return references(id, *a, *pos, includeDecl);
        }
        if (method == "textDocument/prepareRename") {
            std::string why;
            const Occurrence* o = renameTarget(*a, *pos, &why);
            if (!o)
                return reply(id, nullptr);
            auto r = loc.range(o->range);
            if (!r)
                return reply(id, nullptr);
            return reply(
                id, json::Object{{"range", toJson(*r)}, {"placeholder", o->symbol.decl->name}});
        }
        if (method == "textDocument/rename") {
            auto name = params->getString("newName");
            if (!name)
                return replyError(id, InvalidParams, "rename needs a newName");
            return rename(id, *a, *pos, name->str());
        }
    }

    void handleNotification(llvm::StringRef method, const json::Object* params) {
        if (!initialized || !params)
            return;
        if (method == "workspace/didChangeWatchedFiles") {
            // A spec or .supc-lint changed on disk (the client watches them): what the open
            // buffers import or are configured by may have changed.
            for (auto& [uri, st] : states) {
                st.analyzedGeneration = 0;
                markDirty(uri, std::chrono::milliseconds(opts.debounceMs));
            }
            return;
        }
        const json::Object* td = params->getObject("textDocument");
        if (!td || !td->getString("uri"))
            return;
        std::string uriText = td->getString("uri")->str();
        const std::string* uri = &uriText;
        if (method == "textDocument/didOpen") {
            auto text = td->getString("text");
            Document& d = docs.open(*uri, text ? text->str() : std::string(),
                                    td->getInteger("version").getValueOr(0));
            markImporters(d);
            analyze(d);
        } else if (method == "textDocument/didChange") {
            std::vector<TextChange> changes;
            if (const json::Array* cs = params->getArray("contentChanges"))
                for (const auto& c : *cs)
                    if (const json::Object* co = c.getAsObject()) {
                        TextChange tc;
                        if (co->get("range")) {
                            tc.range = rangeFrom(co->get("range"));
                            if (!tc.range)
                                continue;
                        }
                        auto t = co->getString("text");
                        tc.text = t ? t->str() : std::string();
                        changes.push_back(std::move(tc));
                    }
            if (docs.change(*uri, td->getInteger("version").getValueOr(0), changes, ctx.encoding)) {
                Document& d = *docs.find(*uri);
                markDirty(d.uri, std::chrono::milliseconds(opts.debounceMs));
                markImporters(d);
            }
        } else if (method == "textDocument/didClose") {
            if (Document* d = docs.find(*uri)) {
                markImporters(*d);
                notify("textDocument/publishDiagnostics",
                       json::Object{{"uri", d->uri}, {"diagnostics", json::Array{}}});
            }
            docs.close(*uri);
            states.erase(*uri);
        }
    }

    // Returns false when the session is over.
    bool handle(const json::Value& msg) {
        const json::Object* o = msg.getAsObject();
        if (!o || o->get("supc.parseError")) {
            replyError(nullptr, o ? ParseError : InvalidRequest,
                       o ? "the message is not JSON" : "a message must be an object");
            return true;
        }
        auto method = o->getString("method");
        const json::Value* id = o->get("id");
        const json::Object* params = o->getObject("params");
        if (!method) {
            if (id && !o->get("result") && !o->get("error"))
                replyError(*id, InvalidRequest, "a request needs a method");
            return true; // a response to a request of ours (none are sent)
        }
        if (*method == "exit") {
            exitStatus = shutdownRequested ? 0 : 1;
            return false;
        }
        if (id) {
            if (isCancelled(*id)) {
                {
                    std::lock_guard<std::mutex> lock(mu);
                    cancelled.erase(idKey(*id));
                }
                replyError(*id, RequestCancelled, "cancelled");
                return true;
            }
            handleRequest(*id, *method, params);
            std::lock_guard<std::mutex> lock(mu);
            cancelled.erase(idKey(*id));
        } else {
            handleNotification(*method, params);
        }
        return true;
    }

    int exitStatus = 1;

    int run() {
        ctx.uriOf = [this](const std::string& path) { return uriOf(path); };
        if (::pipe(wake) != 0)
            return 1;
        reader = std::thread([this] { readLoop(); });
        for (;;) {
            std::optional<json::Value> msg;
            bool queueEmpty = false;
            {
                std::unique_lock<std::mutex> lock(mu);
                auto ready = [&] { return !queue.empty() || eof; };
                if (!ready()) {
                    if (auto due = nextDue())
                        cv.wait_until(lock, *due, ready);
                    else
                        cv.wait(lock, ready);
                }
                if (!queue.empty()) {
                    msg = std::move(queue.front());
                    queue.pop_front();
                }
                queueEmpty = queue.empty();
                if (!msg && eof)
                    break;
            }
            if (msg) {
                if (!handle(*msg))
                    break;
                // Typing goes on: analyse only what has waited too long.
                runDue(false);
            } else {
                runDue(queueEmpty);
            }
        }
        return exitStatus;
    }

    ~Impl() {
        if (wake[1] >= 0) {
            char c = 0;
            (void)!::write(wake[1], &c, 1);
        }
        if (reader.joinable())
            reader.join();
        for (int fd : wake)
            if (fd >= 0)
                ::close(fd);
    }
};

Server::Server(int inFd, int outFd, ServerOptions options)
    : impl_(std::make_unique<Impl>(inFd, outFd, std::move(options))) {}
Server::~Server() = default;

int Server::run() {
    return impl_->run();
}

} // namespace supc::lsp
