// LAPACKE over OpenBLAS, as Debian's liblapacke-dev and libopenblas-dev install them.
// If this include fails, run:
//     apt-get install -y liblapacke-dev libopenblas-dev
#include <lapacke.h>

// OpenBLAS's thread-count setter (declared in its cblas.h, which lives in a
// variant-specific directory; declared here so that only lapacke.h is needed).
void openblas_set_num_threads(int num_threads);

/// Fixes OpenBLAS to one thread, so that factorisations are reproducible bit for bit and
/// do not compete with the checkpointing driver's own threads.
static inline void rewind_lapack_use_one_thread(void) { openblas_set_num_threads(1); }
