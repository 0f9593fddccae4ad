"""Run one command and print its wall time and peak resident memory as JSON.

``python -m bench.measure -- CMD ARGS...``: the memory is the peak RSS of the command's
process tree as the kernel reports it for waited-for children (``ru_maxrss``), so each
measured command runs under its own ``measure`` process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    """Run ``argv`` after ``--``; print {"seconds", "max_rss_mb", "returncode"}."""
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    started = time.perf_counter()
    completed = subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = {
        "seconds": round(seconds, 2),
        "max_rss_mb": round(peak_kb / 1024, 1),
        "returncode": completed.returncode,
    }
    print(json.dumps(result))
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
