// LAPACKE over OpenBLAS, as Debian's liblapacke-dev and libopenblas-dev install them.
// If this include fails, run:
//     apt-get install -y liblapacke-dev libopenblas-dev
#include <stddef.h>
#include <lapacke.h>

// OpenBLAS's thread-count setter (declared in its cblas.h, which lives in a
// variant-specific directory; declared here so that only lapacke.h is needed).
void openblas_set_num_threads(int num_threads);

// BLAS's triangular band solve (Fortran symbol: every BLAS exports it; LAPACK's dgbtrs
// calls it for the U factor). The trailing arguments are the lengths of the one-character
// strings, as gfortran passes them.
void dtbsv_(const char *uplo, const char *trans, const char *diag, const int *n, const int *k,
            const double *a, const int *lda, double *x, const int *incx,
            size_t uplo_len, size_t trans_len, size_t diag_len);

/// x ← T⁻¹x or T⁻ᵀx for the n × n triangular band T with k off-diagonals stored in BLAS's
/// column-major band layout at `a` (leading dimension lda): `upper` selects the upper or
/// lower triangle, `unit` a unit diagonal (not read).
static inline void rewind_dtbsv(int upper, int transposed, int unit, int n, int k,
                                const double *a, int lda, double *x) {
    const int one = 1;
    dtbsv_(upper ? "U" : "L", transposed ? "T" : "N", unit ? "U" : "N", &n, &k, a, &lda, x, &one, 1, 1, 1);
}

/// Fixes OpenBLAS to one thread, so that factorisations are reproducible bit for bit and
/// do not compete with the checkpointing driver's own threads, and turns off LAPACKE's NaN
/// scan of every input (O(N²) per dense solve; the Swift wrappers check the matrix once per
/// factorisation, and a NaN right-hand side then propagates instead of being rejected).
static inline void rewind_lapack_configure(void) {
    openblas_set_num_threads(1);
    LAPACKE_set_nancheck(0);
}
