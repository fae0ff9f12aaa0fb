#include "http_server.hpp"

#include <arpa/inet.h>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sup::obs {

// ---------------------------------------------------------------- requests and responses

std::optional<std::string> HttpRequest::arg(std::string_view key) const {
    for (const auto& [k, v] : query)
        if (k == key)
            return v;
    return std::nullopt;
}

std::optional<std::string> HttpRequest::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k.size() == name.size() && strncasecmp(k.data(), name.data(), k.size()) == 0)
            return v;
    return std::nullopt;
}

HttpResponse HttpResponse::text(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

HttpResponse HttpResponse::json(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
}

/// One request in flight: what the handler was given, and its answer once there is one.
class Connection {
public:
    Connection(HttpServer& s, MHD_Connection* c) : server(s), mhd(c) {}

    /// The answer (first one wins). Resumes the connection if it waits for it.
    void answer(HttpResponse r) {
        std::lock_guard lock(m);
        if (response || finished)
            return;
        response = std::move(r);
        if (suspended) {
            suspended = false;
            server.resume(mhd);
        }
    }

    HttpServer& server;
    MHD_Connection* const mhd;
    std::mutex m;
    HttpRequest request;
    bool body_too_large = false;
    bool dispatched = false;
    bool suspended = false;
    bool finished = false; // MHD completed the request: `mhd` is gone
    std::optional<HttpResponse> response;
};

Reply& Reply::operator=(Reply&& o) noexcept {
    if (this != &o) {
        if (c_)
            c_->answer(HttpResponse::text(500, "no answer\n"));
        c_ = std::move(o.c_);
    }
    return *this;
}

Reply::~Reply() {
    if (c_)
        c_->answer(HttpResponse::text(500, "no answer\n"));
}

void Reply::send(HttpResponse r) {
    if (c_) {
        c_->answer(std::move(r));
        c_.reset();
    }
}

// ---------------------------------------------------------------- event streams

bool Stream::write(std::string_view data) {
    std::lock_guard lock(m_);
    if (closed_)
        return false;
    if (buffer_.size() - offset_ + data.size() > max_buffer_) {
        closed_ = true; // the reader fell too far behind: it reconnects and starts afresh
    } else {
        if (offset_ == buffer_.size()) {
            buffer_.clear();
            offset_ = 0;
        }
        buffer_.append(data);
    }
    if (suspended_) {
        MHD_resume_connection(std::exchange(suspended_, nullptr));
    }
    return !closed_;
}

void Stream::close() {
    std::lock_guard lock(m_);
    closed_ = true;
    if (suspended_)
        MHD_resume_connection(std::exchange(suspended_, nullptr));
}

bool Stream::closed() const {
    std::lock_guard lock(m_);
    return closed_;
}

std::ptrdiff_t Stream::read(char* buf, std::size_t max, MHD_Connection* c) {
    std::lock_guard lock(m_);
    std::size_t waiting = buffer_.size() - offset_;
    if (waiting > 0) {
        std::size_t n = std::min(waiting, max);
        std::memcpy(buf, buffer_.data() + offset_, n);
        offset_ += n;
        if (offset_ == buffer_.size()) {
            buffer_.clear();
            offset_ = 0;
        }
        return static_cast<std::ptrdiff_t>(n);
    }
    if (closed_)
        return MHD_CONTENT_READER_END_OF_STREAM;
    // Nothing to send: wait without a thread until write() or close() resumes us (returning 0
    // without suspending would make MHD call again at once).
    suspended_ = c;
    MHD_suspend_connection(c);
    return 0;
}

void Stream::released() {
    std::lock_guard lock(m_);
    released_ = true;
    closed_ = true;
    suspended_ = nullptr;
}

namespace {
/// The closure of a stream's content reader.
struct StreamHolder {
    HttpServer* server;
    std::shared_ptr<Stream> stream;
    MHD_Connection* connection;
};
} // namespace

std::shared_ptr<Stream> HttpServer::Context::open_stream(std::string first) {
    stream_ = std::make_shared<Stream>(server_.limits().stream_buffer);
    if (!first.empty())
        stream_->write(first);
    return stream_;
}

// ---------------------------------------------------------------- the server

struct Callbacks {
    static ssize_t stream_reader(void* cls, std::uint64_t, char* buf, std::size_t max) {
        auto* h = static_cast<StreamHolder*>(cls);
        return static_cast<ssize_t>(h->stream->read(buf, max, h->connection));
    }

    static void stream_released(void* cls) {
        auto* h = static_cast<StreamHolder*>(cls);
        h->stream->released();
        h->server->forget(h->stream.get());
        delete h;
    }

    static MHD_Result access(void* cls, MHD_Connection* mc, const char* url, const char* method,
                             const char* version, const char* upload, std::size_t* upload_size,
                             void** state);
    static void completed(void* cls, MHD_Connection*, void** state, MHD_RequestTerminationCode);
    static void connection_event(void* cls, MHD_Connection*, void**,
                                 MHD_ConnectionNotificationCode what);
};

HttpServer::HttpServer(HttpLimits limits, Handler handler,
                       std::function<void(std::string_view)> log)
    : limits_(limits), handler_(std::move(handler)), log_(std::move(log)) {}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::log(std::string_view line) const {
    if (log_)
        log_(line);
}

namespace {
void mhd_logger(void* cls, const char* fmt, va_list ap) {
    char buf[512];
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    std::string line = buf;
    while (!line.empty() && line.back() == '\n')
        line.pop_back();
    static_cast<HttpServer*>(cls)->log("observe: http: " + line);
}
} // namespace

std::optional<std::string> HttpServer::start(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
    addrinfo* found = nullptr;
    std::string service = std::to_string(port);
    if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
        return "cannot resolve '" + host + "': " + gai_strerror(rc);
    sockaddr_storage addr{};
    std::memcpy(&addr, found->ai_addr, found->ai_addrlen);
    bool v6 = found->ai_family == AF_INET6;
    freeaddrinfo(found);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    if (v6)
        flags |= MHD_USE_IPv6;
    daemon_ = MHD_start_daemon(
        flags, 0, nullptr, nullptr, &Callbacks::access, this, MHD_OPTION_SOCK_ADDR,
        reinterpret_cast<sockaddr*>(&addr), MHD_OPTION_CONNECTION_LIMIT,
        static_cast<unsigned>(limits_.max_connections), MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        static_cast<std::size_t>(limits_.connection_memory), MHD_OPTION_CONNECTION_TIMEOUT,
        static_cast<unsigned>(limits_.idle_timeout.count()), MHD_OPTION_NOTIFY_COMPLETED,
        &Callbacks::completed, this, MHD_OPTION_NOTIFY_CONNECTION, &Callbacks::connection_event,
        this, MHD_OPTION_EXTERNAL_LOGGER, &mhd_logger, this, MHD_OPTION_END);
    if (!daemon_)
        return "cannot listen on " + (v6 ? "[" + host + "]" : host) + ":" + service +
               " (address in use, or not an address of this machine)";
    const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    port_ = info ? info->port : port;
    return std::nullopt;
}

void HttpServer::stop() {
    std::vector<std::shared_ptr<Connection>> pending;
    std::set<std::shared_ptr<Stream>> streams;
    {
        std::lock_guard lock(m_);
        if (stopping_)
            return;
        stopping_ = true;
        for (const auto& [_, c] : pending_)
            pending.push_back(c);
        streams = streams_;
    }
    if (!daemon_)
        return;
    // No new connections; then answer what waits and end the streams (MHD must not be stopped
    // with suspended connections), and give the polling thread a moment to send those last
    // words before the connections close.
    MHD_socket listener = MHD_quiesce_daemon(daemon_);
    for (const auto& c : pending)
        c->answer(HttpResponse::text(503, "the observer is stopping\n"));
    for (const auto& s : streams)
        s->close();
    {
        std::unique_lock lock(m_);
        drained_.wait_for(lock, std::chrono::seconds(1),
                          [&] { return pending_.empty() && streams_.empty(); });
    }
    MHD_stop_daemon(daemon_);
    daemon_ = nullptr;
    if (listener != MHD_INVALID_SOCKET)
        ::close(listener);
}

std::size_t HttpServer::connections() const {
    std::lock_guard lock(m_);
    return open_connections_;
}

std::size_t HttpServer::streams() const {
    std::lock_guard lock(m_);
    return streams_.size();
}

void HttpServer::resume(MHD_Connection* c) {
    MHD_resume_connection(c);
}

void HttpServer::forget(Connection* c) {
    std::lock_guard lock(m_);
    pending_.erase(c);
    drained_.notify_all();
}

void HttpServer::forget(Stream* s) {
    std::lock_guard lock(m_);
    for (auto it = streams_.begin(); it != streams_.end(); ++it)
        if (it->get() == s) {
            streams_.erase(it);
            drained_.notify_all();
            break;
        }
}

namespace {

MHD_Result collect(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* out = static_cast<std::vector<std::pair<std::string, std::string>>*>(cls);
    out->emplace_back(key ? key : "", value ? value : "");
    return MHD_YES;
}

MHD_Result queue(MHD_Connection* c, const HttpResponse& r) {
    MHD_Response* resp = MHD_create_response_from_buffer(
        r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.content_type.c_str());
    for (const auto& [k, v] : r.headers)
        MHD_add_response_header(resp, k.c_str(), v.c_str());
    MHD_Result ok = MHD_queue_response(c, static_cast<unsigned>(r.status), resp);
    MHD_destroy_response(resp);
    return ok;
}

} // namespace

MHD_Result Callbacks::access(void* cls, MHD_Connection* mc, const char* url, const char* method,
                             const char*, const char* upload, std::size_t* upload_size,
                             void** state) {
    auto* self = static_cast<HttpServer*>(cls);
    auto* slot = static_cast<std::shared_ptr<Connection>*>(*state);
    if (!slot) {
        // The request line and headers are in: record them, wait for the body.
        auto c = std::make_shared<Connection>(*self, mc);
        c->request.method = method ? method : "";
        c->request.path = url ? url : "";
        MHD_get_connection_values(mc, MHD_HEADER_KIND, &collect, &c->request.headers);
        MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, &collect, &c->request.query);
        if (auto len = c->request.header("Content-Length")) {
            char* end = nullptr;
            unsigned long long n = std::strtoull(len->c_str(), &end, 10);
            if (n > self->limits_.max_body)
                c->body_too_large = true;
        }
        *state = new std::shared_ptr<Connection>(std::move(c));
        return MHD_YES;
    }
    std::shared_ptr<Connection> c = *slot;
    if (*upload_size > 0) {
        if (c->request.body.size() + *upload_size > self->limits_.max_body)
            c->body_too_large = true;
        else
            c->request.body.append(upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (c->body_too_large)
        return queue(mc, HttpResponse::text(413, "request body too large\n"));

    if (!c->dispatched) {
        c->dispatched = true;
        HttpServer::Context ctx(*self);
        try {
            self->handler_(c->request, Reply(c), ctx);
        } catch (const std::exception& e) {
            self->log(std::string("observe: handler failed: ") + e.what());
            c->answer(HttpResponse::text(500, "internal error\n"));
            ctx.stream_.reset();
        }
        if (ctx.stream_) {
            {
                std::lock_guard lock(self->m_);
                if (self->stopping_)
                    return queue(mc, HttpResponse::text(503, "the observer is stopping\n"));
                self->streams_.insert(ctx.stream_);
            }
            auto* holder = new StreamHolder{self, ctx.stream_, mc};
            MHD_Response* resp = MHD_create_response_from_callback(
                MHD_SIZE_UNKNOWN, 16 * 1024, &stream_reader, holder, &stream_released);
            if (!resp) {
                stream_released(holder);
                return MHD_NO;
            }
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
            MHD_add_response_header(resp, "X-Accel-Buffering", "no");
            // Streams send heartbeats; the idle timeout is for requests.
            MHD_set_connection_option(mc, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
            MHD_Result ok = MHD_queue_response(mc, MHD_HTTP_OK, resp);
            MHD_destroy_response(resp);
            return ok;
        }
        {
            std::lock_guard lock(self->m_);
            if (self->stopping_) {
                c->answer(HttpResponse::text(503, "the observer is stopping\n"));
            } else {
                self->pending_.emplace(c.get(), c);
            }
        }
    }
    std::unique_lock lock(c->m);
    if (c->response) {
        HttpResponse r = std::move(*c->response);
        lock.unlock();
        return queue(mc, r); // forgotten when completed
    }
    // The answer comes later, from another thread: wait without holding the thread.
    c->suspended = true;
    MHD_suspend_connection(mc);
    return MHD_YES;
}

void Callbacks::completed(void* cls, MHD_Connection*, void** state, MHD_RequestTerminationCode) {
    auto* slot = static_cast<std::shared_ptr<Connection>*>(*state);
    if (!slot)
        return;
    {
        std::lock_guard lock((*slot)->m);
        (*slot)->finished = true;
        (*slot)->suspended = false;
    }
    static_cast<HttpServer*>(cls)->forget(slot->get());
    delete slot;
    *state = nullptr;
}

void Callbacks::connection_event(void* cls, MHD_Connection*, void**,
                                 MHD_ConnectionNotificationCode what) {
    auto* self = static_cast<HttpServer*>(cls);
    std::lock_guard lock(self->m_);
    if (what == MHD_CONNECTION_NOTIFY_STARTED)
        ++self->open_connections_;
    else if (self->open_connections_ > 0)
        --self->open_connections_;
}

} // namespace sup::obs
