// The actor that supervises one operating-system process: a process child, for its supervisor,
// is this actor. It starts the program in init (and returns when it is started: executed, or
// ready), turns its exit into its own exit reason, turns its supervisor's shutdown request into
// the stop signal, writes its output to the log, and, through its death hook, kills whatever is
// left of the program when the actor dies for any reason (a kill by its supervisor included),
// before anyone learns of that death.
#pragma once

#include "process/child.hpp"
#include "process/service.hpp"
#include "sup/actor.hpp"
#include "sup/process.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sup::detail::proc {

/// A process child's spec as its start function holds it. The service is acquired at the first
/// start and kept while the spec exists, so that restarts do not restart the service.
struct ProcessDef {
    explicit ProcessDef(ProcessSpec s) : spec(std::move(s)) {}
    std::shared_ptr<Service> service(std::string& why);
    ProcessSpec spec;

private:
    std::mutex m_;
    std::shared_ptr<Service> service_;
};

/// Where a child's lines go: the runtime's log and, optionally, a file.
struct Sink {
    RuntimeImpl* rt = nullptr;
    int file = -1;
    std::mutex m;
    bool detached = false; // the actor is dead: nothing is written any more
    ~Sink();
};

/// Writes the lines queued in `c` (on the actor's thread, or its death hook's).
void drain(Child& c, Sink& s);

class ProcessActor final : public Actor<ProcessActor> {
public:
    ProcessActor(std::shared_ptr<ProcessDef> def, std::vector<std::string> extra_args,
                 std::string path);
    InitResult init() override;
    bool on_shutdown_request(const ExitReason& reason) override;

    struct OutputReady {};
    struct Exited {};
    struct Status {
        std::string text;
    };
    struct InfoReq {};
    struct SignalReq {
        int sig;
    };
    void handle_info(OutputReady);
    void handle_info(Exited);
    void handle_info(Status s);
    ProcessInfo handle_call(InfoReq);
    bool handle_call(SignalReq r);

private:
    std::shared_ptr<ProcessDef> def_;
    std::vector<std::string> extra_;
    std::string path_;
    std::shared_ptr<Service> service_;
    std::shared_ptr<Child> child_;
    std::shared_ptr<Sink> sink_;
    bool stopping_ = false;
    ExitReason stop_reason_;
};

} // namespace sup::detail::proc
