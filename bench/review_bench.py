"""The review judge's cost: time per review and the memory it adds to a process.

    .venv/bin/python -m bench.review_bench

Time is CPU time (the machine is shared; wall time would count the others' work). Both
are measured in a fresh interpreter, so that nothing another benchmark loaded is counted
or hidden: memory is the peak resident size after judging every text minus the size before
the judge was imported (the model, OpenCC's tables and VADER's lexicon are loaded on first use).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_PROBE = r"""
import json, sys, time

def kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])
    return 0

from bench.sentiment_eval import load, real_samples
texts = [s.text for s in real_samples()] or [s.text for s in load()]
texts += [s.text for s in load()]  # English too: VADER's share
before = kb("VmRSS:")
from watchers.reviews.sentiment import judge_review
judge_review(None, texts[0])
started = time.process_time()
negative = sum(judge_review(None, t).negative for t in texts)
took = time.process_time() - started
print(json.dumps({"reviews": len(texts), "negative": negative, "seconds": took,
                  "added_kb": kb("VmHWM:") - before}))
"""


def bench_review_judge() -> dict[str, Any]:
    """`review_judge_us` (mean CPU per review) and `review_judge_added_mb`."""
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return {"review_judge_reviews": found["reviews"],
            "review_judge_us": round(found["seconds"] / found["reviews"] * 1e6, 1),
            "review_judge_added_mb": round(found["added_kb"] / 1024, 1)}


if __name__ == "__main__":
    print(json.dumps(bench_review_judge()))
