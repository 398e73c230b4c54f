import CMPI

/// The MPI runtime of this process: started once with ``initialize()`` before any
/// communicator is used, stopped once with ``finalize()`` after the last one.
///
/// ```swift
/// try CheckpointInterruption.install()     // first: SIGTERM from mpirun removes our files
/// MPIEnvironment.initialize()
/// defer { MPIEnvironment.finalize() }
/// let world = Communicator.world
/// ```
///
/// A process started by `mpirun -np P` is one of P ranks; started on its own, it is a
/// world of one rank (MPI's singleton start). MPI can be initialised only once per process.
public enum MPIEnvironment {
    /// Whether `MPI_Init` has run and `MPI_Finalize` has not.
    public static var isInitialized: Bool {
        var started: Int32 = 0
        var finished: Int32 = 0
        MPI_Initialized(&started)
        MPI_Finalized(&finished)
        return started != 0 && finished == 0
    }

    /// Starts MPI (`MPI_Init_thread` at `MPI_THREAD_FUNNELED`: checkpoint stores run I/O
    /// threads, but only the calling thread may use MPI); does nothing when it is already
    /// running.
    public static func initialize() {
        guard !isInitialized else { return }
        var provided: Int32 = 0
        let status = MPI_Init_thread(nil, nil, rewind_mpi_thread_funneled(), &provided)
        precondition(status == rewind_mpi_success(), "MPI_Init_thread failed with code \(status)")
    }

    /// Stops MPI (`MPI_Finalize`) after every rank has reached this point; does nothing when
    /// it is not running.
    public static func finalize() {
        guard isInitialized else { return }
        MPI_Finalize()
    }
}
