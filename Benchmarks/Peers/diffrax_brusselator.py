# The 1-D Brusselator gradient with diffrax's Kvaerno5: the peer of
# `rewind demo --problem brusselator` (issue 14, item 6).
#   python3 -m venv env && env/bin/pip install diffrax==0.7.2   # pulls jax/jaxlib 0.10.2
#   env/bin/python Benchmarks/Peers/diffrax_brusselator.py N [rtol] [atol] [T] [gradient-file]
# Kvaerno5 with its default root finder (VeryChord, lineax AutoLinearSolver: dense LU of the
# 2N x 2N Jacobian), PIDController(rtol, atol), RecursiveCheckpointAdjoint (the default),
# float64; jax.grad of L = sum_i u_i(T)^2 / (2N) with respect to (y0, alpha).
# Timings are of the second call of each jitted function (compilation excluded); peak RSS
# is the process's ru_maxrss, printed after compilation, after the forward calls and after
# the gradient calls (it never decreases, so each figure includes the ones before).
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


def loss(y0, alpha):
    yT = solve(y0, alpha).ys[-1]
    return jnp.sum(yT[0::2] ** 2) / (2 * N)


x = jnp.arange(1, N + 1, dtype=jnp.float64) / (N + 1)
y0 = jnp.stack([1 + jnp.sin(2 * jnp.pi * x), 3 * jnp.ones(N)], axis=1).reshape(-1)
alpha = jnp.float64(1 / 50)

forward = jax.jit(lambda y0, alpha: (loss(y0, alpha), solve(y0, alpha).stats["num_accepted_steps"]))
gradient = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))


def timed(f):
    start = time.perf_counter()
    out = jax.block_until_ready(f(y0, alpha))
    return out, time.perf_counter() - start


print(f"diffrax {diffrax.__version__}, jax {jax.__version__}, Kvaerno5, N = {N}, T = {T}, rtol {rtol}, atol {atol}", flush=True)
(_, steps), first_forward = timed(forward)
print(f"forward first call (compile + run) {first_forward:.2f} s, peak RSS {peak_mib():.0f} MiB", flush=True)
(L, steps), forward_seconds = timed(forward)
print(f"forward second call {forward_seconds:.3f} s, {int(steps)} accepted steps, peak RSS {peak_mib():.0f} MiB", flush=True)
_, first_gradient = timed(gradient)
print(f"gradient first call (compile + run) {first_gradient:.2f} s, peak RSS {peak_mib():.0f} MiB", flush=True)
(value, (g_y0, g_alpha)), gradient_seconds = timed(gradient)
print(f"gradient second call {gradient_seconds:.3f} s, peak RSS {peak_mib():.0f} MiB", flush=True)
print(f"loss          {float(value):.17g} (forward: {float(L):.17g})")
print(f"dL/dalpha     {float(g_alpha):.17g}")
print("dL/dy0[0..3]  " + " ".join(f"{float(g):.17g}" for g in g_y0[:4]))
print(f"dL/du0[N/4]   {float(g_y0[2 * (N // 4)]):.17g}")
if len(sys.argv) > 5:
    with open(sys.argv[5], "w") as f:
        for g in list(g_y0) + [g_alpha]:
            f.write(f"{float(g):.17g}\n")
