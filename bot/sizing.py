"""How many `psif-bot serve` processes a machine's CPUs and memory (cgroup limits) hold."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# Measured on PostgreSQL (~82 MB per worker, ~100 MB supervising), with headroom.
WORKER_BYTES = 100 * 1024 * 1024
MASTER_BYTES = 100 * 1024 * 1024
MAX_DEFAULT_WORKERS = 8
# cgroup v1 reports "no limit" as a huge number rather than "max".
NO_LIMIT = 1 << 60


@dataclass(frozen=True)
class Machine:
    cpus: int
    memory_bytes: int | None  # None: not known


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def memory_limit(root: Path = Path("/")) -> int | None:
    """The smaller of the cgroup memory limit (v2, else v1) and the kernel's MemAvailable."""
    known: list[int] = []
    for limit in (
        _read(root / "sys/fs/cgroup/memory.max"),
        _read(root / "sys/fs/cgroup/memory/memory.limit_in_bytes"),
    ):
        if limit is not None and limit.isdigit() and int(limit) < NO_LIMIT:
            known.append(int(limit))
            break
    for line in (_read(root / "proc/meminfo") or "").splitlines():
        name, _, value = line.partition(":")
        if name == "MemAvailable" and value.split()[:1] and value.split()[0].isdigit():
            known.append(int(value.split()[0]) * 1024)
    return min(known) if known else None


def cpu_limit(root: Path = Path("/")) -> int:
    """CPUs this process may use: its affinity, capped by a cgroup v2 CPU quota."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cpus = cpus or 1
    quota = (_read(root / "sys/fs/cgroup/cpu.max") or "max").split()
    if len(quota) == 2 and quota[0].isdigit() and quota[1].isdigit() and int(quota[1]):
        cpus = min(cpus, max(1, int(quota[0]) // int(quota[1])))
    return cpus


def this_machine(root: Path = Path("/")) -> Machine:
    return Machine(cpus=cpu_limit(root), memory_bytes=memory_limit(root))


def default_workers(machine: Machine) -> int:
    """One per CPU, as many as the memory holds, from 1 to 8."""
    workers = min(machine.cpus, MAX_DEFAULT_WORKERS)
    if machine.memory_bytes is not None:
        workers = min(workers, (machine.memory_bytes - MASTER_BYTES) // WORKER_BYTES)
    return max(1, workers)


def describe(machine: Machine) -> str:
    memory = (
        f"{machine.memory_bytes // (1024 * 1024)} MB"
        if machine.memory_bytes is not None
        else "unknown memory"
    )
    return f"{machine.cpus} CPU{'' if machine.cpus == 1 else 's'} and {memory} available"
