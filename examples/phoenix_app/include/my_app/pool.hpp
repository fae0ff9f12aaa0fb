// worker PoolWorker(worker_id: int): one of WorkerPool's numbered workers.
#pragma once

#include "my_app/messages.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <sup/sup.hpp>

namespace my_app {

struct Job {
    std::int64_t n;
};

class PoolWorker : public sup::Actor<PoolWorker> {
public:
    explicit PoolWorker(std::int64_t worker_id) : id_(worker_id) {}
    std::string handle_call(Job j) {
        ++done_;
        return "worker " + std::to_string(id_) + " computed " + std::to_string(j.n) +
               "^2 = " + std::to_string(j.n * j.n);
    }
    void handle_cast(InjectFault f) { throw std::runtime_error(f.what); }
    std::string handle_call(Describe) {
        return "worker " + std::to_string(id_) + ", " + std::to_string(done_) + " jobs done";
    }

private:
    std::int64_t id_;
    int done_ = 0;
};

} // namespace my_app
