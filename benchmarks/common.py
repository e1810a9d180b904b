"""What every benchmark needs: a phase in a process of its own (so its peak memory is its own) and that peak."""
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
import resource
from typing import Any


def peak_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss, kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_own_process(phase: Callable[..., Any], *args: Any) -> Any:
    """`phase(*args)` in a fresh worker process; its result (wall time, peak_mb(), rows … as the phase returns)."""
    with ProcessPoolExecutor(1) as pool:
        return pool.submit(phase, *args).result()
