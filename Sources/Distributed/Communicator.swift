import CMPI

/// A group of ranks that talk to each other: MPI's communicator, with the few operations a
/// checkpointed distributed adjoint needs (rank, size, barrier, abort, neighbour exchange,
/// gathers and broadcasts in rank order).
///
/// ```swift
/// MPIEnvironment.initialize()
/// let world = Communicator.world
/// print("rank \(world.rank) of \(world.size)")
/// world.barrier()
/// ```
///
/// Every collective operation (``barrier()``, the gathers, broadcasts and reductions) must
/// be called by every rank of the communicator in the same order, as MPI requires; the
/// checkpointing driver's identical schedule on every rank is what keeps the step functions'
/// exchanges in that order. MPI errors are fatal (MPI's default): the job stops with MPI's
/// message.
public struct Communicator: @unchecked Sendable {
    /// The MPI handle.
    let handle: MPI_Comm

    /// MPI_COMM_WORLD: every rank `mpirun` started. Needs ``MPIEnvironment/initialize()``.
    public static var world: Communicator {
        precondition(MPIEnvironment.isInitialized, "Communicator.world used before MPIEnvironment.initialize()")
        return Communicator(handle: rewind_mpi_comm_world())
    }

    /// This process's rank, 0 ..< ``size``.
    public var rank: Int {
        var value: Int32 = 0
        MPI_Comm_rank(handle, &value)
        return Int(value)
    }

    /// The number of ranks, P.
    public var size: Int {
        var value: Int32 = 0
        MPI_Comm_size(handle, &value)
        return Int(value)
    }

    /// Waits until every rank has called it.
    public func barrier() { MPI_Barrier(handle) }

    /// Stops every rank of the job at once (`MPI_Abort`) with exit status `code`: for an
    /// error one rank meets alone, when the others may be waiting for it in an exchange.
    /// The other ranks receive `SIGTERM` from `mpirun`.
    public func abort(code: Int32 = 1) -> Never {
        MPI_Abort(handle, code)
        fatalError("MPI_Abort returned")   // MPI_Abort does not return.
    }

    /// Sends `send` to rank `destination` and receives `receive.count` doubles from rank
    /// `source` in one deadlock-free step (`MPI_Sendrecv`). A rank may be its own partner.
    public func sendReceive(
        _ send: UnsafeBufferPointer<Double>, to destination: Int,
        into receive: UnsafeMutableBufferPointer<Double>, from source: Int, tag: Int32
    ) {
        MPI_Sendrecv(
            send.baseAddress, Int32(send.count), rewind_mpi_double(), Int32(destination), tag,
            receive.baseAddress, Int32(receive.count), rewind_mpi_double(), Int32(source), tag,
            handle, rewind_mpi_status_ignore())
    }

    /// Every rank's `values` (which may differ in length) concatenated in rank order at
    /// `root`; nil on the other ranks.
    ///
    /// - Complexity: the total count travels to the root once (`MPI_Gatherv`).
    public func gather(_ values: [Double], root: Int = 0) -> [Double]? {
        let counts = allGather(Int64(values.count)).map { Int32($0) }
        var displacements = [Int32](repeating: 0, count: counts.count)
        for r in counts.indices.dropFirst() { displacements[r] = displacements[r - 1] + counts[r - 1] }
        let total = Int(counts.reduce(0, +))
        var result = [Double](repeating: 0, count: rank == root ? total : 0)
        values.withUnsafeBufferPointer { send in
            result.withUnsafeMutableBufferPointer { receive in
                _ = MPI_Gatherv(
                    send.baseAddress, Int32(send.count), rewind_mpi_double(),
                    receive.baseAddress, counts, displacements, rewind_mpi_double(), Int32(root), handle)
            }
        }
        return rank == root ? result : nil
    }

    /// Every rank's `value`, in rank order, on every rank (`MPI_Allgather`).
    public func allGather(_ value: Int64) -> [Int64] {
        var send = value
        var result = [Int64](repeating: 0, count: size)
        result.withUnsafeMutableBufferPointer { receive in
            _ = MPI_Allgather(&send, 1, rewind_mpi_int64(), receive.baseAddress, 1, rewind_mpi_int64(), handle)
        }
        return result
    }

    /// Every rank's `values` (the same count on every rank), in rank order, on every rank.
    public func allGather(_ values: [UInt64]) -> [[UInt64]] {
        let count = values.count
        var flat = [UInt64](repeating: 0, count: count * size)
        values.withUnsafeBufferPointer { send in
            flat.withUnsafeMutableBufferPointer { receive in
                _ = MPI_Allgather(
                    send.baseAddress, Int32(count), rewind_mpi_uint64(), receive.baseAddress, Int32(count),
                    rewind_mpi_uint64(), handle)
            }
        }
        return (0..<size).map { r in Array(flat[r * count ..< (r + 1) * count]) }
    }

    /// `values` as `root` has them, on every rank (`MPI_Bcast`; the count travels first).
    public func broadcast(_ values: [Double], root: Int = 0) -> [Double] {
        var count = Int64(values.count)
        MPI_Bcast(&count, 1, rewind_mpi_int64(), Int32(root), handle)
        var result = rank == root ? values : [Double](repeating: 0, count: Int(count))
        result.withUnsafeMutableBufferPointer { buffer in
            _ = MPI_Bcast(buffer.baseAddress, Int32(count), rewind_mpi_double(), Int32(root), handle)
        }
        return result
    }

    /// `text` as `root` has it, on every rank.
    public func broadcast(_ text: String, root: Int) -> String {
        var bytes = Array(text.utf8)
        var count = Int64(bytes.count)
        MPI_Bcast(&count, 1, rewind_mpi_int64(), Int32(root), handle)
        if rank != root { bytes = [UInt8](repeating: 0, count: Int(count)) }
        bytes.withUnsafeMutableBufferPointer { buffer in
            _ = MPI_Bcast(buffer.baseAddress, Int32(count), rewind_mpi_byte(), Int32(root), handle)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The largest of every rank's `value`, on every rank. Exact: the maximum does not
    /// depend on the order it is taken in.
    public func maximum(_ value: Double) -> Double {
        var send = value
        var result = 0.0
        MPI_Allreduce(&send, &result, 1, rewind_mpi_double(), rewind_mpi_max(), handle)
        return result
    }

    /// The largest of every rank's `value`, on every rank.
    public func maximum(_ value: Int) -> Int {
        var send = Int64(value)
        var result: Int64 = 0
        MPI_Allreduce(&send, &result, 1, rewind_mpi_int64(), rewind_mpi_max(), handle)
        return Int(result)
    }
}
