"""Worker processes sized to the machine: as many as its CPUs and its memory both allow."""

from __future__ import annotations

from pathlib import Path

from bot.sizing import Machine, cpu_limit, default_workers, describe, memory_limit

MB = 1024 * 1024


def machine_root(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_small_dyno_reporting_many_cpus_gets_what_its_memory_holds() -> None:
    # The case: 512 MB and 8 CPUs reported; 8 workers would need about 760 MB.
    assert default_workers(Machine(cpus=8, memory_bytes=512 * MB)) == 4


def test_cpus_decide_when_memory_is_plentiful_and_never_more_than_eight() -> None:
    assert default_workers(Machine(cpus=2, memory_bytes=16_000 * MB)) == 2
    assert default_workers(Machine(cpus=32, memory_bytes=64_000 * MB)) == 8
    assert default_workers(Machine(cpus=4, memory_bytes=None)) == 4


def test_at_least_one_worker_however_little_memory() -> None:
    assert default_workers(Machine(cpus=4, memory_bytes=150 * MB)) == 1


def test_memory_is_the_cgroup_limit_or_memavailable_whichever_is_smaller(tmp_path: Path) -> None:
    meminfo = "MemTotal:       32000000 kB\nMemAvailable:   20000000 kB\n"
    v2 = machine_root(
        tmp_path / "v2", {"sys/fs/cgroup/memory.max": "536870912\n", "proc/meminfo": meminfo}
    )
    assert memory_limit(v2) == 512 * MB
    unlimited_v2 = machine_root(
        tmp_path / "max", {"sys/fs/cgroup/memory.max": "max\n", "proc/meminfo": meminfo}
    )
    assert memory_limit(unlimited_v2) == 20_000_000 * 1024
    v1 = machine_root(
        tmp_path / "v1",
        {
            "sys/fs/cgroup/memory/memory.limit_in_bytes": str(1024 * MB),
            "proc/meminfo": "MemAvailable:   500000 kB\n",
        },
    )
    assert memory_limit(v1) == 500_000 * 1024
    unlimited_v1 = machine_root(
        tmp_path / "v1max",
        {"sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712"},
    )
    assert memory_limit(unlimited_v1) is None


def test_a_cpu_quota_caps_the_cpus(tmp_path: Path) -> None:
    assert cpu_limit(machine_root(tmp_path / "q", {"sys/fs/cgroup/cpu.max": "100000 100000"})) == 1
    assert cpu_limit(tmp_path / "none") >= 1


def test_the_choice_is_described_for_the_start_up_log() -> None:
    assert describe(Machine(cpus=2, memory_bytes=512 * MB)) == "2 CPUs and 512 MB available"
    assert describe(Machine(cpus=1, memory_bytes=None)) == "1 CPU and unknown memory available"
