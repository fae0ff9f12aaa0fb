// The observer's HTTP server: GNU libmicrohttpd (Debian's libmicrohttpd-dev) behind a small
// C++ interface. One polling thread (epoll) serves every connection; handlers run on it and must
// be quick. A handler either answers at once or keeps its Reply and answers later from any
// thread (the connection is suspended meanwhile and costs no thread). Event streams
// (text/event-stream) are written from any thread through a Stream; a stream whose reader
// falls behind is closed rather than buffered without bound. Limits (docs/observe.md,
// "Robustness"): connections, memory per connection (request line and headers included),
// request body size, idle time.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct MHD_Daemon;
struct MHD_Connection;

namespace sup::obs {

struct HttpRequest {
    std::string method; ///< "GET", "POST", ...
    std::string path;   ///< the URL's path, percent-decoded by the server
    std::vector<std::pair<std::string, std::string>> query;
    std::vector<std::pair<std::string, std::string>> headers; ///< names as sent
    std::string body;

    /// The first query argument named `key`.
    std::optional<std::string> arg(std::string_view key) const;
    /// The first header named `name` (case-insensitive).
    std::optional<std::string> header(std::string_view name) const;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static HttpResponse text(int status, std::string body);
    static HttpResponse json(int status, std::string body);
};

class Connection;

/// The answer to one request, possibly given later and from another thread. Answering twice
/// does nothing; a Reply dropped without an answer answers 500.
class Reply {
public:
    Reply() = default;
    explicit Reply(std::shared_ptr<Connection> c) : c_(std::move(c)) {}
    Reply(Reply&&) noexcept = default;
    Reply& operator=(Reply&&) noexcept;
    ~Reply();
    void send(HttpResponse r);
    explicit operator bool() const { return c_ != nullptr; }

private:
    std::shared_ptr<Connection> c_;
};

/// One open text/event-stream response. Thread-safe; write() never blocks.
class Stream {
public:
    /// Appends `data` (whole SSE messages); false if the stream is closed, or if more than the
    /// server's stream buffer would be waiting (then it is closed: the client reconnects).
    bool write(std::string_view data);
    /// Ends the response; the client sees the stream end.
    void close();
    bool closed() const;

    // For the server.
    explicit Stream(std::size_t max_buffer) : max_buffer_(max_buffer) {}
    /// Copies at most `max` waiting bytes to `buf`; 0 with `suspend` set when nothing waits.
    std::ptrdiff_t read(char* buf, std::size_t max, MHD_Connection* c);
    void released();

private:
    mutable std::mutex m_;
    std::string buffer_;
    std::size_t offset_ = 0;
    const std::size_t max_buffer_;
    MHD_Connection* suspended_ = nullptr; // set while the reader waits
    bool closed_ = false;                 // no more writes
    bool released_ = false;               // the server is done with the response
};

struct HttpLimits {
    unsigned max_connections = 128;
    /// Per connection, for the request line, the headers and buffering (MHD's pool): a larger
    /// request head gets 431, a longer URL 414.
    std::size_t connection_memory = 32 * 1024;
    /// Request bodies (control requests are small); larger ones get 413.
    std::size_t max_body = 16 * 1024;
    /// A connection without traffic for this long is closed (not for event streams, which send
    /// a comment line every `stream_heartbeat`).
    std::chrono::seconds idle_timeout{10};
    /// What one event stream may have waiting before it is closed.
    std::size_t stream_buffer = 4 * 1024 * 1024;
};

class HttpServer {
public:
    /// A handler answers through `reply`, now or later. Returning a Stream instead (through
    /// `open_stream`) makes the response a text/event-stream.
    class Context {
    public:
        /// Turns this request's response into an event stream; the handler then does not use
        /// the Reply. `first` is written at once.
        std::shared_ptr<Stream> open_stream(std::string first = {});

    private:
        friend class HttpServer;
        friend struct Callbacks;
        explicit Context(HttpServer& s) : server_(s) {}
        HttpServer& server_;
        std::shared_ptr<Stream> stream_;
    };
    using Handler = std::function<void(const HttpRequest&, Reply, Context&)>;

    HttpServer(HttpLimits limits, Handler handler,
               std::function<void(std::string_view)> log = nullptr);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds `host` (an IPv4 or IPv6 address, or a name that resolves to one) on `port` (0: a
    /// free port) and serves. An error message on failure.
    std::optional<std::string> start(const std::string& host, std::uint16_t port);
    /// Answers what waits with 503, ends every stream, and stops. Idempotent.
    void stop();
    std::uint16_t port() const { return port_; }
    /// Connections open now (event streams included).
    std::size_t connections() const;
    std::size_t streams() const;

    // For connections and streams.
    void resume(MHD_Connection* c);
    void forget(Connection* c);
    void forget(Stream* s);
    const HttpLimits& limits() const { return limits_; }
    void log(std::string_view line) const;

private:
    friend struct Callbacks; // libmicrohttpd's callbacks (http_server.cpp)

    HttpLimits limits_;
    Handler handler_;
    std::function<void(std::string_view)> log_;
    MHD_Daemon* daemon_ = nullptr;
    std::uint16_t port_ = 0;

    mutable std::mutex m_;
    std::condition_variable drained_; // pending_ or streams_ shrank
    bool stopping_ = false;
    // Requests waiting for a late Reply, owned here too: stop() answers them after letting go
    // of m_, while the server's thread may complete and release them.
    std::map<const Connection*, std::shared_ptr<Connection>> pending_;
    std::set<std::shared_ptr<Stream>> streams_;
    std::size_t open_connections_ = 0;
};

} // namespace sup::obs
