/*
 * The 1-D Brusselator gradient with SUNDIALS CVODES (BDF, banded Newton, continuous adjoint
 * with checkpoints): the peer of `rewind demo --problem brusselator` (issue 14, item 6).
 *
 * Build (Debian 12, libsundials-dev 6.4.1; there is no pkg-config file for SUNDIALS there):
 *   gcc -O2 -o /tmp/cvodes_brusselator Benchmarks/Peers/cvodes_brusselator.c \
 *       -lsundials_cvodes -lsundials_nvecserial -lsundials_sunmatrixband \
 *       -lsundials_sunlinsolband -lm
 * Run:
 *   /tmp/cvodes_brusselator N [rtol] [atol] [T] [steps-per-checkpoint] [gradient-file] [fd]
 *   e.g. /tmp/cvodes_brusselator 10000 1e-6 1e-10 10 100
 * With a gradient file the full dL/dy0 (interleaved u1, v1, u2, …) and then dL/dalpha are
 * written one per line at full precision; with `fd` a central finite difference in alpha
 * (two more plain forward solves) checks dL/dalpha.
 *
 * Problem (Hairer & Wanner II, eq. IV.1.6), state interleaved (u1, v1, u2, v2, ...):
 *   u_i' = 1 + u_i^2 v_i - 4 u_i + alpha (N+1)^2 (u_{i-1} - 2 u_i + u_{i+1}),
 *   v_i' = 3 u_i - u_i^2 v_i + alpha (N+1)^2 (v_{i-1} - 2 v_i + v_{i+1}),
 *   x_i = i/(N+1), u = 1 and v = 3 at both ends, alpha = 1/50,
 *   u_i(0) = 1 + sin(2 pi x_i), v_i(0) = 3;  L = sum_i u_i(T)^2 / (2N).
 * Adjoint (CVODES convention): lambda' = -J^T lambda from lambda(T) = dL/dy(T), so
 * dL/dy0 = lambda(0) and dL/dalpha = int_0^T lambda^T df/dalpha dt, accumulated by the
 * backward quadrature q' = -lambda^T df/dalpha from q(T) = 0 (so q(0) = dL/dalpha).
 *
 * Timings: "forward" is a plain CVode solve (no checkpoints); "gradient" is CVodeF (the
 * forward sweep that stores checkpoints) plus CVodeB (the backward sweep, which re-solves
 * each checkpoint interval forward to interpolate y). Peak RSS is getrusage's ru_maxrss.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_types.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunmatrix/sunmatrix_band.h>

typedef struct {
    long n;       /* interior points N */
    double alpha; /* diffusion coefficient */
    double scale; /* (N+1)^2 */
} Brusselator;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* CPU seconds of this single-threaded process: robust on a shared machine, and what
   the ode-report's brusselator mode measures for Rewind. */
static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double peak_rss_mib(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0; /* Linux reports KiB */
}

static void check(int flag, const char *what) {
    if (flag < 0) {
        fprintf(stderr, "%s failed with flag %d\n", what, flag);
        exit(1);
    }
}

/* Neighbour values with the fixed ends u = 1, v = 3. */
static inline double left(const double *y, long i, int field) { return i > 0 ? y[2 * (i - 1) + field] : (field ? 3.0 : 1.0); }
static inline double right(const double *y, long i, long n, int field) { return i < n - 1 ? y[2 * (i + 1) + field] : (field ? 3.0 : 1.0); }

static int rhs(realtype t, N_Vector yv, N_Vector dv, void *data) {
    const Brusselator *p = data;
    const double *y = N_VGetArrayPointer(yv);
    double *dydt = N_VGetArrayPointer(dv);
    const double c = p->alpha * p->scale;
    for (long i = 0; i < p->n; i++) {
        const double u = y[2 * i], v = y[2 * i + 1], r = u * u * v;
        dydt[2 * i] = 1 + r - 4 * u + c * (left(y, i, 0) - 2 * u + right(y, i, p->n, 0));
        dydt[2 * i + 1] = 3 * u - r + c * (left(y, i, 1) - 2 * v + right(y, i, p->n, 1));
    }
    return 0;
}

/* J = df/dy, banded with two sub- and two super-diagonals. */
static int jacobian(realtype t, N_Vector yv, N_Vector fy, SUNMatrix J, void *data, N_Vector t1, N_Vector t2, N_Vector t3) {
    const Brusselator *p = data;
    const double *y = N_VGetArrayPointer(yv);
    const double c = p->alpha * p->scale;
    const long n = p->n;
    SUNMatZero(J);
    for (long i = 0; i < n; i++) {
        const double u = y[2 * i], v = y[2 * i + 1];
        const long a = 2 * i, b = 2 * i + 1;
        SM_ELEMENT_B(J, a, a) = 2 * u * v - 4 - 2 * c;
        SM_ELEMENT_B(J, a, b) = u * u;
        SM_ELEMENT_B(J, b, a) = 3 - 2 * u * v;
        SM_ELEMENT_B(J, b, b) = -u * u - 2 * c;
        if (i > 0) { SM_ELEMENT_B(J, a, a - 2) = c; SM_ELEMENT_B(J, b, b - 2) = c; }
        if (i < n - 1) { SM_ELEMENT_B(J, a, a + 2) = c; SM_ELEMENT_B(J, b, b + 2) = c; }
    }
    return 0;
}

/* lambda' = -J^T lambda. */
static int rhs_backward(realtype t, N_Vector yv, N_Vector lv, N_Vector dv, void *data) {
    const Brusselator *p = data;
    const double *y = N_VGetArrayPointer(yv), *w = N_VGetArrayPointer(lv);
    double *out = N_VGetArrayPointer(dv);
    const double c = p->alpha * p->scale;
    const long n = p->n;
    for (long i = 0; i < n; i++) {
        const double u = y[2 * i], v = y[2 * i + 1], a = w[2 * i], b = w[2 * i + 1];
        const double an = (i > 0 ? w[2 * i - 2] : 0) + (i < n - 1 ? w[2 * i + 2] : 0);
        const double bn = (i > 0 ? w[2 * i - 1] : 0) + (i < n - 1 ? w[2 * i + 3] : 0);
        out[2 * i] = -(a * (2 * u * v - 4 - 2 * c) + b * (3 - 2 * u * v) + c * an);
        out[2 * i + 1] = -(a * u * u - b * (u * u + 2 * c) + c * bn);
    }
    return 0;
}

/* The backward problem's Jacobian d(-J^T lambda)/d lambda = -J^T. */
static int jacobian_backward(realtype t, N_Vector yv, N_Vector lv, N_Vector fl, SUNMatrix JB, void *data, N_Vector t1, N_Vector t2, N_Vector t3) {
    const Brusselator *p = data;
    const double *y = N_VGetArrayPointer(yv);
    const double c = p->alpha * p->scale;
    const long n = p->n;
    SUNMatZero(JB);
    for (long i = 0; i < n; i++) {
        const double u = y[2 * i], v = y[2 * i + 1];
        const long a = 2 * i, b = 2 * i + 1;
        SM_ELEMENT_B(JB, a, a) = -(2 * u * v - 4 - 2 * c);
        SM_ELEMENT_B(JB, b, a) = -(u * u);
        SM_ELEMENT_B(JB, a, b) = -(3 - 2 * u * v);
        SM_ELEMENT_B(JB, b, b) = -(-u * u - 2 * c);
        if (i > 0) { SM_ELEMENT_B(JB, a - 2, a) = -c; SM_ELEMENT_B(JB, b - 2, b) = -c; }
        if (i < n - 1) { SM_ELEMENT_B(JB, a + 2, a) = -c; SM_ELEMENT_B(JB, b + 2, b) = -c; }
    }
    return 0;
}

/* q' = -lambda^T df/dalpha, df/dalpha = (N+1)^2 (Laplacian of u, Laplacian of v). */
static int quadrature_backward(realtype t, N_Vector yv, N_Vector lv, N_Vector qdot, void *data) {
    const Brusselator *p = data;
    const double *y = N_VGetArrayPointer(yv), *w = N_VGetArrayPointer(lv);
    double sum = 0;
    for (long i = 0; i < p->n; i++) {
        const double u = y[2 * i], v = y[2 * i + 1];
        sum += w[2 * i] * (left(y, i, 0) - 2 * u + right(y, i, p->n, 0));
        sum += w[2 * i + 1] * (left(y, i, 1) - 2 * v + right(y, i, p->n, 1));
    }
    N_VGetArrayPointer(qdot)[0] = -p->scale * sum;
    return 0;
}

static void initial_state(N_Vector yv, long n) {
    double *y = N_VGetArrayPointer(yv);
    for (long i = 0; i < n; i++) {
        y[2 * i] = 1 + sin(2 * M_PI * (double)(i + 1) / (double)(n + 1));
        y[2 * i + 1] = 3;
    }
}

static double loss(N_Vector yv, long n) {
    const double *y = N_VGetArrayPointer(yv);
    double sum = 0;
    for (long i = 0; i < n; i++) sum += y[2 * i] * y[2 * i];
    return sum / (2.0 * n);
}

/* A forward solver with the banded Newton solver attached. */
static void *forward_solver(SUNContext ctx, Brusselator *p, N_Vector y, SUNMatrix A, SUNLinearSolver LS, double rtol, double atol) {
    void *mem = CVodeCreate(CV_BDF, ctx);
    check(CVodeInit(mem, rhs, 0.0, y), "CVodeInit");
    check(CVodeSStolerances(mem, rtol, atol), "CVodeSStolerances");
    check(CVodeSetUserData(mem, p), "CVodeSetUserData");
    check(CVodeSetMaxNumSteps(mem, 1000000), "CVodeSetMaxNumSteps");
    check(CVodeSetLinearSolver(mem, LS, A), "CVodeSetLinearSolver");
    check(CVodeSetJacFn(mem, jacobian), "CVodeSetJacFn");
    return mem;
}

/* Plain forward solve to T: the loss. */
static double plain_loss(SUNContext ctx, Brusselator *p, double rtol, double atol, double T, long *steps) {
    const long dim = 2 * p->n;
    N_Vector y = N_VNew_Serial(dim, ctx);
    initial_state(y, p->n);
    SUNMatrix A = SUNBandMatrix(dim, 2, 2, ctx);
    SUNLinearSolver LS = SUNLinSol_Band(y, A, ctx);
    void *mem = forward_solver(ctx, p, y, A, LS, rtol, atol);
    realtype t;
    check(CVode(mem, T, y, &t, CV_NORMAL), "CVode");
    if (steps) CVodeGetNumSteps(mem, steps);
    const double L = loss(y, p->n);
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    SUNMatDestroy(A);
    N_VDestroy(y);
    return L;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s N [rtol] [atol] [T] [steps-per-checkpoint] [gradient-file] [fd]\n", argv[0]);
        return 2;
    }
    const long n = atol(argv[1]);
    const double rtol = argc > 2 ? atof(argv[2]) : 1e-6;
    const double atol_ = argc > 3 ? atof(argv[3]) : 1e-10;
    const double T = argc > 4 ? atof(argv[4]) : 10.0;
    const long interval = argc > 5 ? atol(argv[5]) : 100;
    const char *gradient_file = argc > 6 && strcmp(argv[6], "-") != 0 ? argv[6] : NULL;
    const int finite_difference = argc > 7 && strcmp(argv[7], "fd") == 0;
    if (n < 1 || rtol <= 0 || atol_ <= 0 || T <= 0 || interval < 1) {
        fprintf(stderr, "need N >= 1, rtol > 0, atol > 0, T > 0, steps-per-checkpoint >= 1\n");
        return 2;
    }
    const long dim = 2 * n;
    Brusselator p = {n, 1.0 / 50, (double)((n + 1) * (n + 1))};
    SUNContext ctx;
    check(SUNContext_Create(NULL, &ctx), "SUNContext_Create");

    /* 1. Plain forward solve. */
    long plain_steps = 0;
    double t0 = now();
    double c0 = cpu_now();
    const double plain = plain_loss(ctx, &p, rtol, atol_, T, &plain_steps);
    const double forward_seconds = now() - t0;
    const double forward_cpu = cpu_now() - c0;

    /* 2. Gradient: forward with checkpoints, then the adjoint. */
    t0 = now();
    c0 = cpu_now();
    N_Vector y = N_VNew_Serial(dim, ctx);
    initial_state(y, n);
    SUNMatrix A = SUNBandMatrix(dim, 2, 2, ctx);
    SUNLinearSolver LS = SUNLinSol_Band(y, A, ctx);
    void *mem = forward_solver(ctx, &p, y, A, LS, rtol, atol_);
    check(CVodeAdjInit(mem, interval, CV_HERMITE), "CVodeAdjInit");
    realtype t;
    int checkpoints = 0;
    check(CVodeF(mem, T, y, &t, CV_NORMAL, &checkpoints), "CVodeF");
    const double L = loss(y, n);
    long steps = 0, newton = 0, setups = 0;
    CVodeGetNumSteps(mem, &steps);
    CVodeGetNumNonlinSolvIters(mem, &newton);
    CVodeGetNumLinSolvSetups(mem, &setups);
    const double forward_sweep_seconds = now() - t0;

    const double t1 = now();
    N_Vector lambda = N_VNew_Serial(dim, ctx);
    double *l = N_VGetArrayPointer(lambda);
    const double *yT = N_VGetArrayPointer(y);
    for (long i = 0; i < n; i++) { l[2 * i] = yT[2 * i] / n; l[2 * i + 1] = 0; }
    N_Vector q = N_VNew_Serial(1, ctx);
    N_VConst(0.0, q);
    int which;
    check(CVodeCreateB(mem, CV_BDF, &which), "CVodeCreateB");
    check(CVodeInitB(mem, which, rhs_backward, T, lambda), "CVodeInitB");
    check(CVodeSStolerancesB(mem, which, rtol, atol_), "CVodeSStolerancesB");
    check(CVodeSetUserDataB(mem, which, &p), "CVodeSetUserDataB");
    check(CVodeSetMaxNumStepsB(mem, which, 1000000), "CVodeSetMaxNumStepsB");
    SUNMatrix AB = SUNBandMatrix(dim, 2, 2, ctx);
    SUNLinearSolver LSB = SUNLinSol_Band(lambda, AB, ctx);
    check(CVodeSetLinearSolverB(mem, which, LSB, AB), "CVodeSetLinearSolverB");
    check(CVodeSetJacFnB(mem, which, jacobian_backward), "CVodeSetJacFnB");
    check(CVodeQuadInitB(mem, which, quadrature_backward, q), "CVodeQuadInitB");
    check(CVodeQuadSStolerancesB(mem, which, rtol, atol_), "CVodeQuadSStolerancesB");
    check(CVodeSetQuadErrConB(mem, which, SUNTRUE), "CVodeSetQuadErrConB");
    check(CVodeB(mem, 0.0, CV_NORMAL), "CVodeB");
    check(CVodeGetB(mem, which, &t, lambda), "CVodeGetB");
    check(CVodeGetQuadB(mem, which, &t, q), "CVodeGetQuadB");
    const double backward_seconds = now() - t1;
    const double gradient_seconds = now() - t0;
    const double gradient_cpu = cpu_now() - c0;
    const double peak = peak_rss_mib();
    long steps_backward = 0, newton_backward = 0, setups_backward = 0;
    void *backward_mem = CVodeGetAdjCVodeBmem(mem, which);
    CVodeGetNumSteps(backward_mem, &steps_backward);
    CVodeGetNumNonlinSolvIters(backward_mem, &newton_backward);
    CVodeGetNumLinSolvSetups(backward_mem, &setups_backward);
    const double dalpha = N_VGetArrayPointer(q)[0];

    printf("CVODES %d.%d BDF banded, N = %ld, T = %g, rtol %g, atol %g, %ld steps per checkpoint\n",
           SUNDIALS_VERSION_MAJOR, SUNDIALS_VERSION_MINOR, n, T, rtol, atol_, interval);
    printf("loss          %.17g  (plain forward: %.17g, %ld steps)\n", L, plain, plain_steps);
    printf("dL/dalpha     %.17g\n", dalpha);
    printf("dL/dy0[0..3]  %.17g %.17g %.17g %.17g\n", l[0], l[1], l[2], l[3]);
    printf("dL/du0[N/4]   %.17g\n", l[2 * (n / 4)]);
    printf("steps         forward %ld, backward %ld, checkpoints %d\n", steps, steps_backward, checkpoints);
    printf("Newton        forward %ld iterations, %ld Jacobian factorizations; backward %ld, %ld\n",
           newton, setups, newton_backward, setups_backward);
    printf("forward s     %.4f (plain CVode)\n", forward_seconds);
    printf("gradient s    %.4f (CVodeF %.4f + CVodeB %.4f)\n", gradient_seconds, forward_sweep_seconds, backward_seconds);
    printf("CPU s         forward %.4f, gradient %.4f\n", forward_cpu, gradient_cpu);
    printf("peak RSS MiB  %.1f\n", peak);

    if (gradient_file) {
        FILE *f = fopen(gradient_file, "w");
        if (!f) { perror(gradient_file); return 1; }
        for (long m = 0; m < dim; m++) fprintf(f, "%.17g\n", l[m]);
        fprintf(f, "%.17g\n", dalpha);
        fclose(f);
    }
    if (finite_difference) {
        const double h = 1e-4 * p.alpha;
        Brusselator plus = p, minus = p;
        plus.alpha += h;
        minus.alpha -= h;
        const double fd = (plain_loss(ctx, &plus, rtol, atol_, T, NULL) - plain_loss(ctx, &minus, rtol, atol_, T, NULL)) / (2 * h);
        printf("dL/dalpha FD  %.17g (central, h = %g; relative difference %.3g)\n", fd, h, fabs(fd - dalpha) / fabs(fd));
    }

    CVodeFree(&mem);
    SUNLinSolFree(LS);
    SUNLinSolFree(LSB);
    SUNMatDestroy(A);
    SUNMatDestroy(AB);
    N_VDestroy(y);
    N_VDestroy(lambda);
    N_VDestroy(q);
    SUNContext_Free(&ctx);
    return 0;
}
