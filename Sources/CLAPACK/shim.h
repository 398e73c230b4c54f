// LAPACKE over OpenBLAS, as Debian's liblapacke-dev and libopenblas-dev install them.
// If this include fails, run:
//     apt-get install -y liblapacke-dev libopenblas-dev
#include <lapacke.h>

// OpenBLAS's thread-count setter (declared in its cblas.h, which lives in a
// variant-specific directory; declared here so that only lapacke.h is needed).
void openblas_set_num_threads(int num_threads);

/// Fixes OpenBLAS to one thread, so that factorisations are reproducible bit for bit and
/// do not compete with the checkpointing driver's own threads, and turns off LAPACKE's NaN
/// scan of every input (O(N²) per dense solve; the Swift wrappers check the matrix once per
/// factorisation, and a NaN right-hand side then propagates instead of being rejected).
static inline void rewind_lapack_configure(void) {
    openblas_set_num_threads(1);
    LAPACKE_set_nancheck(0);
}
