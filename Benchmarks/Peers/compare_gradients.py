# Compares two Brusselator gradients entry by entry (issue 14, item 6).
#   python3 Benchmarks/Peers/compare_gradients.py A B
# Each of A and B is either the JSON of `rewind demo --problem brusselator --format json` or a
# file of one number a line (dL/dy0 in the interleaved order, then dL/dalpha), as written by
# cvodes_brusselator.c and diffrax_brusselator.py. B is the reference: prints the relative
# 2-norm difference of dL/dy0, the largest entry-wise difference, and dL/dalpha's relative
# difference.
import json
import math
import sys


def load(path):
    if path.endswith(".json"):
        gradient = json.load(open(path))["gradient"]
        return gradient["initialState"], gradient["parameters"][0]
    values = [float(line) for line in open(path) if line.strip()]
    return values[:-1], values[-1]


(x, a), (y, b) = load(sys.argv[1]), load(sys.argv[2])
if len(x) != len(y):
    sys.exit(f"the gradients have {len(x)} and {len(y)} entries: compare the same N")
difference = math.sqrt(sum((p - q) ** 2 for p, q in zip(x, y)))
norm = math.sqrt(sum(q * q for q in y))
largest = max(abs(p - q) for p, q in zip(x, y))
print(f"dL/dy0: relative 2-norm difference {difference / norm:.3g}, largest entry difference {largest:.3g} "
      f"(largest |entry| {max(abs(q) for q in y):.3g})")
print(f"dL/dalpha: {a:.17g} against {b:.17g}, relative difference {abs(a - b) / abs(b):.3g}")
