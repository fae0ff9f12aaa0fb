// The standard library: Registry, TaskSupervisor, PartitionSupervisor, Pool, CircuitBreaker.
#pragma once

#include "sup/std/circuit_breaker.hpp"
#include "sup/std/hash.hpp"
#include "sup/std/partition_supervisor.hpp"
#include "sup/std/pool.hpp"
#include "sup/std/registry.hpp"
#include "sup/std/task_supervisor.hpp"
