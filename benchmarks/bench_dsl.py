"""`shapecalc FILE.scn` wall time on every DSL example (printed, not a test).

    python benchmarks/bench_dsl.py

Each file is analysed by a fresh `python -m shapecalc FILE.scn` process (interpreter start,
imports, parsing, building, propagation and printing the table), best of three runs; the
target is under 0.5 s per file. Also checked: no such run imports torch, sympy or networkx,
and the same for `python -m shapecalc.frontends.dsl` style use through the API.
"""

from __future__ import annotations

import glob
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = 0.5
HEAVY = ("torch", "sympy", "networkx")

# runs the CLI in-process, then prints which heavy packages ended up imported
_PROBE = f"""
import runpy, sys
sys.argv = ["shapecalc", sys.argv[1]]
try:
    runpy.run_module("shapecalc", run_name="__main__")
except SystemExit:
    pass
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r}))
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


def wall(path: str, runs: int = 3) -> tuple[float, float]:
    """(best wall time, best CPU time of the child process), in seconds."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "shapecalc", path], cwd=ROOT, capture_output=True, check=False
        )
        best = min(best, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best_cpu = min(best_cpu, cpu)
    return best, best_cpu


def heavy_imports(path: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, path], cwd=ROOT, capture_output=True, text=True
    )
    for line in out.stderr.splitlines():
        if line.startswith("HEAVY:"):
            return line[6:] or "none"
    return "probe failed: " + out.stderr.strip()[-200:]


def main() -> None:
    base, base_cpu = wall("--version")
    print(f"python -m shapecalc --version (start-up): wall {base:.3f} s, cpu {base_cpu:.3f} s")
    print(f"{'file':<24} {'wall s':>7} {'cpu s':>7}  {'target':>6}  heavy imports")
    worst = worst_cpu = 0.0
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*.scn"))):
        rel = os.path.relpath(path, ROOT)
        t, cpu = wall(rel)
        worst, worst_cpu = max(worst, t), max(worst_cpu, cpu)
        mark = "ok" if t < TARGET else "SLOW"
        print(f"{os.path.basename(rel):<24} {t:7.3f} {cpu:7.3f}  {mark:>6}  {heavy_imports(rel)}")
    print(f"worst wall {worst:.3f} s, worst cpu {worst_cpu:.3f} s (target < {TARGET} s wall)")
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
