# The 1-D Brusselator gradient with diffrax's Kvaerno5: the peer of
# `rewind demo --problem brusselator` (issue 14, item 6).
#   python3 -m venv env && env/bin/pip install diffrax==0.7.2   # pulls jax/jaxlib 0.10.2
#   export XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
#   env/bin/python Benchmarks/Peers/diffrax_brusselator.py N [rtol] [atol] [T] [gradient-file]
# (XLA on one thread, as the CVODES and Rewind runs are.) Environment: DIFFRAX_REPEATS (timed
# calls after the first, default 2; 0 times the first call, compilation included) and
# DIFFRAX_ONLY (both, forward or gradient).
# Kvaerno5 with its default root finder (VeryChord, lineax AutoLinearSolver: dense LU of the
# 2N x 2N Jacobian), PIDController(rtol, atol), RecursiveCheckpointAdjoint (the default),
# float64; jax.grad of L = sum_i u_i(T)^2 / (2N) with respect to (y0, alpha).
# Timings are the best of the calls after the first of each jitted function (compilation
# excluded); peak RSS is the process's ru_maxrss, printed after the forward calls and after
# the gradient calls (it never decreases, so the second figure includes the first).
import resource
import sys
import time

import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", True)
import diffrax  # noqa: E402

N = int(sys.argv[1])
rtol = float(sys.argv[2]) if len(sys.argv) > 2 else 1e-6
atol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-10
T = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
scale = float((N + 1) ** 2)


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def rhs(t, y, alpha):
    # Interleaved state (u1, v1, u2, v2, ...); fixed ends u = 1, v = 3.
    u, v = y[0::2], y[1::2]
    up = jnp.concatenate([jnp.ones(1), u, jnp.ones(1)])
    vp = jnp.concatenate([3 * jnp.ones(1), v, 3 * jnp.ones(1)])
    lap_u = up[:-2] - 2 * u + up[2:]
    lap_v = vp[:-2] - 2 * v + vp[2:]
    c = alpha * scale
    r = u * u * v
    du = 1 + r - 4 * u + c * lap_u
    dv = 3 * u - r + c * lap_v
    return jnp.stack([du, dv], axis=1).reshape(-1)


def solve(y0, alpha):
    return diffrax.diffeqsolve(
        diffrax.ODETerm(rhs), diffrax.Kvaerno5(), t0=0.0, t1=T, dt0=None, y0=y0, args=alpha,
        stepsize_controller=diffrax.PIDController(rtol=rtol, atol=atol),
        adjoint=diffrax.RecursiveCheckpointAdjoint(), max_steps=16**4)


def loss_of(solution):
    yT = solution.ys[-1]
    return jnp.sum(yT[0::2] ** 2) / (2 * N)


def loss(y0, alpha):
    return loss_of(solve(y0, alpha))


def loss_and_steps(y0, alpha):
    solution = solve(y0, alpha)  # one solve: the loss and its step count
    return loss_of(solution), solution.stats["num_accepted_steps"]


x = jnp.arange(1, N + 1, dtype=jnp.float64) / (N + 1)
y0 = jnp.stack([1 + jnp.sin(2 * jnp.pi * x), 3 * jnp.ones(N)], axis=1).reshape(-1)
alpha = jnp.float64(1 / 50)

forward = jax.jit(loss_and_steps)
forward.__name__ = "forward"
gradient = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))
gradient.__name__ = "gradient"


def timed(f):
    start, cpu = time.perf_counter(), time.process_time()
    out = jax.block_until_ready(f(y0, alpha))
    seconds = time.perf_counter() - start
    print(f"  {f.__name__} call: {seconds:.3f} s wall, {time.process_time() - cpu:.3f} s CPU", flush=True)
    return out, seconds


print(f"diffrax {diffrax.__version__}, jax {jax.__version__}, Kvaerno5, N = {N}, T = {T}, rtol {rtol}, atol {atol}", flush=True)
import os  # noqa: E402

# Timed calls after the first (the best is reported; 0: only the first, compilation included)
# and which functions to run (both, forward or gradient): large N takes minutes per call.
REPEATS = int(os.environ.get("DIFFRAX_REPEATS", "2"))
ONLY = os.environ.get("DIFFRAX_ONLY", "both")


def best_of(f):
    out, first = timed(f)
    print(f"{f.__name__} first call (compile + run) {first:.2f} s, peak RSS {peak_mib():.0f} MiB", flush=True)
    times = [first] if REPEATS == 0 else []
    for _ in range(REPEATS):
        out, seconds = timed(f)
        times.append(seconds)
    print(f"{f.__name__} {'later calls' if REPEATS else 'reported: the first call'} " + ", ".join(f"{t:.3f}" for t in times) + f" s, peak RSS {peak_mib():.0f} MiB", flush=True)
    return out, min(times)


if ONLY in ("both", "forward"):
    (L, steps), forward_seconds = best_of(forward)
    print(f"accepted steps {int(steps)}")
    print(f"forward s     {forward_seconds:.3f}")
    print(f"loss          {float(L):.17g}")
if ONLY == "forward":
    print(f"peak RSS MiB  {peak_mib():.0f}")
    sys.exit(0)
(value, (g_y0, g_alpha)), gradient_seconds = best_of(gradient)
print(f"gradient s    {gradient_seconds:.3f}")
print(f"peak RSS MiB  {peak_mib():.0f}")
print(f"loss          {float(value):.17g}")
print(f"dL/dalpha     {float(g_alpha):.17g}")
print("dL/dy0[0..3]  " + " ".join(f"{float(g):.17g}" for g in g_y0[:4]))
print(f"dL/du0[N/4]   {float(g_y0[2 * (N // 4)]):.17g}")
if len(sys.argv) > 5:
    with open(sys.argv[5], "w") as f:
        for g in list(g_y0) + [g_alpha]:
            f.write(f"{float(g):.17g}\n")
