import CLAPACK

/// OpenBLAS is told once, before the first factorisation, to use one thread: results are
/// then reproducible bit for bit (a checkpointed gradient must equal the store-all one),
/// and one thread was faster on a 2-core machine even alone (FACTS.md: dense n = 1000,
/// 20–22 ms on 1 thread, 50–115 ms on 2). LAPACKE's NaN scan of every argument is turned
/// off: the wrappers check the matrix themselves, once per factorisation.
enum LAPACKThreads {
    /// Evaluated once, thread-safely, by the first factorisation.
    static let singleThreaded: Void = rewind_lapack_configure()
}
