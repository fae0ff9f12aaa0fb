// A worker of the image pool: resizes one image at a time. The work takes time (a timer,
// so that no scheduler thread is held while it lasts): the worker stays checked out of the
// pool until it replies. An image it cannot decode crashes it.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <sup/sup.hpp>
#include <utility>

namespace imaging {

/// Call: resize `image`, which takes `work`; the reply says who did it.
struct Resize {
    using reply_type = std::string;
    std::string image;
    std::chrono::milliseconds work{100};
};

class Resizer : public sup::Actor<Resizer> {
public:
    explicit Resizer(std::int64_t worker_id) : id_(worker_id) {}

    void handle_call(Resize task, sup::ReplyTo<std::string> reply) {
        if (task.image.find("poison") != std::string::npos)
            throw std::runtime_error("cannot decode " + task.image);
        reply_ = std::move(reply);
        send_after(task.work, Done{});
    }

    struct Done {};
    void handle_info(Done) { reply_.reply("resized by worker " + std::to_string(id_)); }

private:
    std::int64_t id_;
    sup::ReplyTo<std::string> reply_;
};

} // namespace imaging
