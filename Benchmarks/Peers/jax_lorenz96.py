# Lorenz-96 RK4 gradient in JAX, the peer of kernel-report's `peer` mode (issue 13).
#   python3 -m venv env && env/bin/pip install jax==0.10.2 jaxlib==0.10.2
#   env/bin/python Benchmarks/Peers/jax_lorenz96.py N n
import sys, time, resource
import jax, jax.numpy as jnp
jax.config.update("jax_enable_x64", True)
N, n = int(sys.argv[1]), int(sys.argv[2])
T = 10.0; dt = T / n
def rhs(x, F): return (jnp.roll(x, -1) - jnp.roll(x, 2)) * jnp.roll(x, 1) - x + F
def step(x, F):
    k1 = rhs(x, F); k2 = rhs(x + dt/2*k1, F); k3 = rhs(x + dt/2*k2, F); k4 = rhs(x + dt*k3, F)
    return x + dt/6*(k1 + 2*k2 + 2*k3 + k4)
def loss(x0, F):
    body = jax.checkpoint(lambda x, _: (step(x, F), None))
    x, _ = jax.lax.scan(body, x0, None, length=n)
    return 0.5 * jnp.sum(x * x)
g = jax.jit(jax.grad(loss, argnums=(0, 1)))
x0 = 8.0 + 0.01 * jnp.sin(jnp.arange(N, dtype=jnp.float64)); F = 8.0
t0 = time.time(); r = g(x0, F); jax.block_until_ready(r); t1 = time.time()
best = 1e9
for _ in range(3):
    s = time.time(); r = g(x0, F); jax.block_until_ready(r); best = min(best, time.time() - s)
print(f"JAX N={N} n={n}: first call {t1-t0:.3f} s, best of 3 {best:.3f} s, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f} MiB, dL/dF={float(r[1]):.10g}")
