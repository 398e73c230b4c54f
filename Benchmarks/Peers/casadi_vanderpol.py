"""CasADi's direct multiple shooting of the Van der Pol problem, as in CasADi's example
direct_multiple_shooting.py: x1' = (1 - x2^2) x1 - x2 + u, x2' = x1, x(0) = (0, 1),
cost integral of x1^2 + x2^2 + u^2, RK4 with 4 steps per control interval (the cost
integrated by the same stages), |u| <= 1, optionally x1 >= -0.25 at the interval ends.

Solved by IPOPT with CasADi's exact Hessian (IPOPT's defaults otherwise), timed around
nlpsol's solve only (building the expression graph is reported separately).

    python3 -m venv /tmp/casadienv && /tmp/casadienv/bin/pip install casadi==3.8.2
    /tmp/casadienv/bin/python Benchmarks/Peers/casadi_vanderpol.py [N T path|free [repeats [exact|lbfgs]]]
    CASADI_EXPAND=1 IPOPT_TOL=1e-10 /tmp/casadienv/bin/python Benchmarks/Peers/casadi_vanderpol.py

Without arguments it runs the three targets of Benchmarks/Reports/optimal-control-report.
"""
import sys
import os
import time

from casadi import MX, Function, nlpsol, vertcat, inf

# IPOPT's tol (its default 1e-8 leaves the objective ~1e-7 relative above the optimum).
TOLERANCE = float(os.environ.get("IPOPT_TOL", "1e-8"))
# CASADI_EXPAND=1 expands the MX graph into SX before solving (CasADi's `expand` option),
# which makes the derivative evaluations several times faster.
EXPAND = os.environ.get("CASADI_EXPAND", "0") == "1"


def solve(N, T, path, repeats=3, hessian="exact"):
    M = 4
    x1, x2, u = MX.sym("x1"), MX.sym("x2"), MX.sym("u")
    x = vertcat(x1, x2)
    xdot = vertcat((1 - x2**2) * x1 - x2 + u, x1)
    L = x1**2 + x2**2 + u**2
    f = Function("f", [x, u], [xdot, L])
    DT = T / N / M
    X0, U = MX.sym("X0", 2), MX.sym("U")
    X, Q = X0, 0
    for _ in range(M):
        k1, k1q = f(X, U)
        k2, k2q = f(X + DT / 2 * k1, U)
        k3, k3q = f(X + DT / 2 * k2, U)
        k4, k4q = f(X + DT * k3, U)
        X = X + DT / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        Q = Q + DT / 6 * (k1q + 2 * k2q + 2 * k3q + k4q)
    F = Function("F", [X0, U], [X, Q], ["x0", "p"], ["xf", "qf"])

    w, w0, lbw, ubw, J, g, lbg, ubg = [], [], [], [], 0, [], [], []
    Xk = MX.sym("X0", 2)
    w += [Xk]; lbw += [0, 1]; ubw += [0, 1]; w0 += [0, 1]
    for k in range(N):
        Uk = MX.sym("U_" + str(k))
        w += [Uk]; lbw += [-1]; ubw += [1]; w0 += [0]
        Fk = F(x0=Xk, p=Uk)
        J = J + Fk["qf"]
        Xk = MX.sym("X_" + str(k + 1), 2)
        w += [Xk]
        lbw += [-0.25 if path else -inf, -inf]; ubw += [inf, inf]; w0 += [0, 0]
        g += [Fk["xf"] - Xk]; lbg += [0, 0]; ubg += [0, 0]
    options = {"ipopt.print_level": 0, "print_time": 0, "ipopt.sb": "yes", "ipopt.tol": TOLERANCE, "expand": EXPAND}
    if hessian != "exact":
        options["ipopt.hessian_approximation"] = "limited-memory"
    solver = nlpsol("solver", "ipopt", {"f": J, "x": vertcat(*w), "g": vertcat(*g)}, options)
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        sol = solver(x0=w0, lbx=lbw, ubx=ubw, lbg=lbg, ubg=ubg)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    stats = solver.stats()
    return float(sol["f"]), best, best_cpu, stats["iter_count"], stats["return_status"]


if __name__ == "__main__":
    if len(sys.argv) > 1:
        N, T, path = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "path"
        repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
        hessian = sys.argv[5] if len(sys.argv) > 5 else "exact"
        cases = [(N, T, path, hessian)]
    else:
        cases = [(20, 10.0, True, "exact"), (2000, 10.0, True, "exact"), (2000, 250.0, False, "exact")]
        repeats = 3
    for N, T, path, hessian in cases:
        objective, seconds, cpu, iterations, status = solve(N, T, path, repeats, hessian)
        print(f"N = {N}, T = {T:g}, path constraint {path}, {hessian} Hessian, expand {EXPAND}, tol {TOLERANCE:g}: objective {objective!r}, "
              f"{iterations} iterations, {status}, best of {repeats}: {seconds:.3f} s wall, {cpu:.3f} s CPU")
