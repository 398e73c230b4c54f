"""Rewind's three-level H-Revolve predicted times against the authors' H-Revolve dynamic
program as shipped in checkpoint_schedules (pip install checkpoint_schedules).

Usage: python3 hrevolve_checkpoint_schedules.py PATH/TO/rewind

Conventions matched: Rewind's n steps reverse x[n-1] … x[0]; the peer's chain of length
l = n - 1 has backward steps B_l … B_0. Advance (u_f) and reverse (u_b) cost 1; memory
writes and reads are free; compressed memory and disk cost w = r as listed. Rewind's time
is the last time stamp of `rewind schedule --schedule h-revolve` (a simulated stream);
the peer's is opt[2][n - 1][c_disk] of get_hopt_table.
"""
import itertools
import subprocess
import sys

from checkpoint_schedules.hrevolve_sequences.hrevolve import get_hopt_table


def rewind_time(rewind, n, memory, compressed, disk, w_compressed, w_disk):
    args = [rewind, "schedule", "--schedule", "h-revolve", "--steps", str(n), "--slots", str(memory),
            "--compressed-slots", str(compressed), "--disk-slots", str(disk),
            "--advance-cost", "1", "--reverse-cost", "1",
            "--disk-write-cost", str(w_disk), "--disk-read-cost", str(w_disk),
            "--compressed-write-cost", str(w_compressed), "--compressed-read-cost", str(w_compressed)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return float([line for line in out.splitlines() if "end reverse" in line][-1].split()[1])


def peer_time(n, memory, compressed, disk, w_compressed, w_disk):
    _, opt = get_hopt_table(n, (memory, compressed, disk), (0, w_compressed, w_disk), (0, w_compressed, w_disk), 1, 1)
    return opt[2][n - 1][disk]


def main():
    rewind = sys.argv[1]
    print("costs (compressed, disk) | cases | equal | Rewind lower | Rewind higher | largest gain")
    for w_compressed, w_disk in [(2, 5), (1, 3), (0.5, 10)]:
        equal = lower = higher = 0
        gain = (1.0, None)
        for n in range(2, 26):
            for memory, compressed, disk in itertools.product(range(1, 4), range(0, 3), range(0, 3)):
                ours = rewind_time(rewind, n, memory, compressed, disk, w_compressed, w_disk)
                theirs = peer_time(n, memory, compressed, disk, w_compressed, w_disk)
                if abs(ours - theirs) < 1e-9:
                    equal += 1
                elif ours < theirs:
                    lower += 1
                    if theirs / ours > gain[0]:
                        gain = (theirs / ours, (n, memory, compressed, disk, ours, theirs))
                else:
                    higher += 1
        cases = equal + lower + higher
        print(f"({w_compressed}, {w_disk}) | {cases} | {equal} | {lower} | {higher} | {gain[0]:.3f} at (n, c_mem, c_comp, c_disk, Rewind, peer) = {gain[1]}")


if __name__ == "__main__":
    main()
