// Pool: FIFO queueing while every worker is busy, run / submit / transaction, status, a worker
// crash during a job, callers that give up or die, the pool's own supervision tree.
#include "std_helpers.hpp"

#include <catch2/catch.hpp>

using namespace stdtest;
using sup::std_lib::Pool;
using sup::std_lib::PoolStatus;
using sup::testing::Supervised;

namespace {

class PoolWorker : public sup::Actor<PoolWorker> {
public:
    PoolWorker() = default;
    explicit PoolWorker(std::int64_t index) : index_(index) {}
    struct Job {
        int id;
        test::Recorder* r = nullptr;
        sup::Ref<Gate> gate{};
    };
    struct Crash {};
    struct Index {};
    int handle_call(Job j) {
        if (j.gate)
            pass(j.gate);
        if (j.r)
            j.r->add("job " + std::to_string(j.id));
        return j.id;
    }
    int handle_call(Crash) { throw std::runtime_error("worker crashed"); }
    std::int64_t handle_call(Index) const { return index_; }

private:
    std::int64_t index_ = -1;
};

/// Holds a pool worker from a handler until the gate opens.
class Borrower : public sup::Actor<Borrower> {
public:
    struct Borrow {
        sup::Pid pool;
        sup::Ref<Gate> gate;
    };
    void handle_cast(Borrow b) {
        (void)Pool::transaction(
            b.pool, [&](const sup::Pid&) { pass(b.gate); }, sup::infinity);
    }
};

PoolStatus status(const sup::Pid& pool) {
    return Pool::status(pool).value();
}

PoolStatus counts(std::int64_t size, std::int64_t idle, std::int64_t busy, std::int64_t restarting,
                  std::int64_t queued) {
    return PoolStatus{size, idle, busy, restarting, queued};
}

} // namespace

TEST_CASE("work queues in FIFO order while every worker is busy / status counts") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid pool = Pool::start(rt, sup::dynamic_worker<PoolWorker>(), 1).value();
    auto gate = rt.spawn<Gate>().value();
    REQUIRE(status(pool) == counts(1, 1, 0, 0, 0));

    REQUIRE(Pool::submit<PoolWorker>(pool, PoolWorker::Job{0, &r, gate}));
    for (int i = 1; i <= 3; ++i)
        REQUIRE(Pool::submit<PoolWorker>(pool, PoolWorker::Job{i, &r}));
    rt.wait_quiescent();
    REQUIRE(status(pool) == counts(1, 0, 1, 0, 3));
    REQUIRE(r.items().empty());

    REQUIRE(sup::call(gate, Gate::Open{}).value() == 1);
    REQUIRE(r.wait_count(4));
    rt.wait_quiescent();
    REQUIRE(r.items() == Lines{"job 0", "job 1", "job 2", "job 3"});
    REQUIRE(status(pool) == counts(1, 1, 0, 0, 0));
    REQUIRE(Pool::run<PoolWorker>(pool, PoolWorker::Job{4}).value() == 4);
}

TEST_CASE("submit hands the result to on_done / run waits in line within its timeout") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::Pid pool = Pool::start(rt, sup::dynamic_worker<PoolWorker>(), 2).value();
    auto gate = rt.spawn<Gate>().value();
    auto record = [&r](sup::CallResult<int> res) {
        r.add(res ? "done " + std::to_string(res.value()) : "failed " + res.error().to_string());
    };
    REQUIRE(Pool::submit<PoolWorker>(pool, PoolWorker::Job{1, nullptr, gate}, record));
    REQUIRE(Pool::submit<PoolWorker>(pool, PoolWorker::Job{2, nullptr, gate}, record));
    rt.wait_quiescent();
    REQUIRE(status(pool) == counts(2, 0, 2, 0, 0));

    // Nobody free within the timeout: a timeout, and the request leaves the queue.
    auto late = Pool::run<PoolWorker>(pool, PoolWorker::Job{3}, 20ms);
    REQUIRE(late.error().code == sup::CallError::Code::timeout);
    rt.wait_quiescent();
    REQUIRE(status(pool) == counts(2, 0, 2, 0, 0));

    REQUIRE(sup::call(gate, Gate::Open{}).value() == 2);
    REQUIRE(r.wait_count(2));
    rt.wait_quiescent();
    auto lines = r.items();
    std::sort(lines.begin(), lines.end());
    REQUIRE(lines == Lines{"done 1", "done 2"});
    // Nothing leaked: both workers are free again.
    REQUIRE(status(pool) == counts(2, 2, 0, 0, 0));
    REQUIRE(Pool::run<PoolWorker>(pool, PoolWorker::Job{5}).value() == 5);
}

TEST_CASE("a worker crash during a job fails that job and the pool keeps serving") {
    test::Recorder r;
    sup::Runtime rt(test::quiet());
    sup::SupervisorSpec spec;
    // What generated code writes for `child pool = std.Pool(of = PoolWorker, size = 2);`.
    spec.children.push_back(
        sup::worker<Pool>("pool", sup::dynamic_worker<PoolWorker>(), std::int64_t(2))
            .with_type(sup::ChildType::supervisor));
    Supervised tree(rt, spec);
    sup::Pid pool = tree.child("pool");
    sup::Pid first = tree.child("pool/workers/0");

    // run: the caller gets the crash; the worker (the one idle longest: 0) is restarted.
    auto crashed = Pool::run<PoolWorker>(pool, PoolWorker::Crash{});
    REQUIRE(crashed.error().code == sup::CallError::Code::exited);
    REQUIRE(crashed.error().reason == sup::ExitReason::error("worker crashed"));
    sup::Pid second = tree.await_restart("pool/workers/0", first);
    rt.wait_quiescent();
    REQUIRE(status(pool) == counts(2, 2, 0, 0, 0));
    REQUIRE(Pool::workers(pool).value()[0] == second);
    REQUIRE(Pool::run<PoolWorker>(pool, PoolWorker::Job{7}).value() == 7);

    // submit: on_done gets the crash; a request queued meanwhile is served.
    sup::Pid pool1 = Pool::start(rt, sup::dynamic_worker<PoolWorker>(), 1).value();
    REQUIRE(Pool::submit<PoolWorker>(pool1, PoolWorker::Crash{}, [&r](sup::CallResult<int> res) {
        r.add(res ? "done" : "failed " + res.error().to_string());
    }));
    REQUIRE(Pool::run<PoolWorker>(pool1, PoolWorker::Job{8}).value() == 8);
    REQUIRE(r.wait_count(1));
    REQUIRE(r.items() == Lines{"failed exited: worker crashed"});
    rt.wait_quiescent();
    REQUIRE(status(pool1) == counts(1, 1, 0, 0, 0));
    // The pool's own supervisor restarted nothing else.
    REQUIRE(tree.events().lines(tree.child("pool")).size() == 2); // dispatcher, workers started
}

TEST_CASE("workers get their index / the pool is a supervisor of a dispatcher and the workers") {
    sup::Runtime rt(test::quiet());
    sup::SupervisorSpec spec;
    spec.children.push_back(
        Pool::child_spec("pool", sup::dynamic_worker<PoolWorker, std::int64_t>(), 3));
    Supervised tree(rt, spec);
    sup::Pid pool = tree.child("pool");
    REQUIRE(tree.which_children()[0].type == sup::ChildType::supervisor);
    std::vector<std::string> ids;
    for (auto& c : tree.which_children("pool"))
        ids.push_back(c.id);
    REQUIRE(ids == Lines{"workers", "dispatcher"});
    REQUIRE(tree.which_children("pool/workers").size() == 3);
    auto workers = Pool::workers(pool).value();
    REQUIRE(workers.size() == 3);
    for (std::int64_t i = 0; i < 3; ++i) {
        REQUIRE(workers[i] == tree.child("pool/workers/" + std::to_string(i)));
        REQUIRE(sup::call(workers[i].as<PoolWorker>(), PoolWorker::Index{}).value() == i);
    }
    auto index = Pool::transaction(pool, [](const sup::Pid& w) {
        return sup::call(w.as<PoolWorker>(), PoolWorker::Index{}).value();
    });
    REQUIRE(index.value() == 0);
    // The wrong worker class is a programming error.
    REQUIRE_THROWS_AS((void)Pool::run<Counter>(pool, Counter::Get{}), std::invalid_argument);
    REQUIRE(status(pool) == counts(3, 3, 0, 0, 0));

    // A dispatcher crash restarts the workers after it (rest_for_one); the pool serves again.
    sup::Pid old_worker = tree.child("pool/workers/0");
    sup::Pid old_workers = tree.child("pool/workers");
    tree.kill_and_await_restart("pool/dispatcher");
    tree.await_restart("pool/workers", old_workers);
    rt.wait_quiescent();
    REQUIRE(!old_worker.alive());
    REQUIRE(status(pool) == counts(3, 3, 0, 0, 0));
    REQUIRE(Pool::run<PoolWorker>(pool, PoolWorker::Index{}).value() == 0);

    REQUIRE(tree.stop().is_shutdown());
    REQUIRE(Pool::run<PoolWorker>(pool, PoolWorker::Job{1}).error().code ==
            sup::CallError::Code::noproc);
    REQUIRE(Pool::status(pool).error().code == sup::CallError::Code::noproc);
}

TEST_CASE("a caller that dies holding a worker gives it back") {
    sup::Runtime rt(test::quiet());
    sup::Pid pool = Pool::start(rt, sup::dynamic_worker<PoolWorker>(), 1).value();
    auto gate = rt.spawn<Gate>().value();
    auto borrower = rt.spawn<Borrower>().value();
    sup::cast(borrower, Borrower::Borrow{pool, gate});
    rt.wait_quiescent();
    REQUIRE(status(pool) == counts(1, 0, 1, 0, 0));
    sup::kill(borrower);
    REQUIRE(rt.wait_exit_real(borrower, 5000ms));
    rt.wait_quiescent();
    REQUIRE(status(pool) == counts(1, 1, 0, 0, 0));
    REQUIRE(Pool::run<PoolWorker>(pool, PoolWorker::Job{1}).value() == 1);
    // Let the killed borrower's handler return (its late checkin is ignored).
    REQUIRE(sup::call(gate, Gate::Open{}).value() == 1);
    rt.wait_quiescent();
    REQUIRE(status(pool) == counts(1, 1, 0, 0, 0));
}

TEST_CASE("a pool needs a positive size") {
    sup::Runtime rt(test::quiet());
    auto bad = Pool::start(rt, sup::dynamic_worker<PoolWorker>(), 0);
    REQUIRE(bad.failed());
    REQUIRE(bad.reason().to_string() == "size must be a positive integer, found 0");
}
