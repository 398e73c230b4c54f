import Foundation

/// The coordinator behind ``FileCheckpointStore``: one lock over the slot table, the
/// buffer pool, the I/O thread's queue and the statistics, and the operations that move a
/// slot from state to state (``CheckpointSlotTable``) on the caller's side (store, restore,
/// prefetch, discard) and on the I/O thread's (a job done).
///
/// The other jobs live beside it: ``CheckpointDirectory`` (the run's directory),
/// ``CheckpointFileFormat`` (a checkpoint's file), ``CheckpointIOThread`` (the background
/// writer and reader), ``CheckpointBufferPool``, ``CheckpointOperationRecorder`` and
/// ``CheckpointIOStatistics``.
///
/// Thread safety: every mutable field below the `condition` line, and the I/O thread's
/// queue, is read and written only while `condition` is locked; a job's buffer belongs to
/// whoever the slot table says (the queue, the I/O thread, or the caller once the job is
/// done). The caller-side codec contexts are used only by the store's owner, which is one
/// thread at a time because the store is not `Sendable`; the worker-side contexts only by
/// the I/O thread.
///
/// Why one file of ~440 lines: both sides of the lock (caller and I/O thread) mutate the same
/// `private` state; splitting them across files would widen that state to the whole module
/// and with it who may touch it without the lock (a split into accounting and run-ending
/// files was tried: it needed seven fields and `waitWhile` made module-wide). The interruption path, which needs only
/// the few fields left internal (`condition`, `slots`, `isClosed`, `directoryRemoved`,
/// `callerTransfers`), lives in CheckpointFileEngine+Interruption.swift.
final class CheckpointFileEngine: @unchecked Sendable {
    /// The run's private directory.
    let directory: CheckpointDirectory
    /// The number of slots.
    let capacity: Int
    /// How states are encoded in the files.
    let codec: CheckpointCodec
    /// Writes that may be queued or running at once (0: write on the caller's thread).
    let writeBehind: Int
    /// Read-aheads that may be pending at once (0: ignore `prefetch`).
    let readAhead: Int
    private let format: CheckpointFileFormat
    /// `nil` when neither writes nor reads go to the background.
    let ioThread: CheckpointIOThread?

    private let callerCompressor: CheckpointCompressor
    private let callerDecompressor: CheckpointDecompressor
    private let workerCompressor: CheckpointCompressor
    private let workerDecompressor: CheckpointDecompressor

    let condition = NSCondition()
    // Guarded by `condition`:
    var slots: CheckpointSlotTable
    private var buffers: CheckpointBufferPool
    private var stats = CheckpointIOStatistics()
    private var recorder = CheckpointOperationRecorder()
    private var inFlightWrites = 0
    private var pendingReads = 0
    /// A write behind that failed after its store returned, reported by the next call.
    private var deferredError: CheckpointStoreError?
    /// Reads and writes running on the caller's thread, outside the lock.
    var callerTransfers = 0
    /// The run was interrupted (``terminate()``): the files are gone, every later call fails.
    var isClosed = false
    /// The directory has been removed and its descriptor closed (exactly once).
    var directoryRemoved = false

    /// Creates the run's directory and, with `writeBehind` or `readAhead` above 0, starts
    /// the I/O thread.
    ///
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` when the directory cannot be made.
    init(
        capacity: Int, directory parent: String?, codec: CheckpointCodec, writeBehind: Int, readAhead: Int, syncEveryCheckpoint: Bool
    ) throws(CheckpointStoreError) {
        precondition(capacity >= 0, "a store's capacity cannot be negative, got \(capacity)")
        precondition(writeBehind >= 0 && readAhead >= 0, "write-behind and read-ahead depths cannot be negative, got \(writeBehind) and \(readAhead)")
        directory = try CheckpointDirectory(under: parent)
        self.capacity = capacity
        self.codec = codec
        self.writeBehind = writeBehind
        self.readAhead = readAhead
        var generator = SystemRandomNumberGenerator()
        // Direct I/O moves states as they are: only the identity codec's files.
        let directIO = codec.filter == .none && codec.compression == .none ? CheckpointDirectIO() : nil
        format = CheckpointFileFormat(
            directory: directory, runID: generator.next(), codec: codec, syncEveryCheckpoint: syncEveryCheckpoint, directIO: directIO)
        slots = CheckpointSlotTable(capacity: capacity)
        buffers = CheckpointBufferPool(limit: writeBehind + readAhead + 1, directIO: directIO)
        callerCompressor = CheckpointCompressor(codec: codec)
        callerDecompressor = CheckpointDecompressor(codec: codec)
        workerCompressor = CheckpointCompressor(codec: codec)
        workerDecompressor = CheckpointDecompressor(codec: codec)
        ioThread = writeBehind > 0 || readAhead > 0 ? CheckpointIOThread(condition: condition) : nil
        ioThread?.start(perform: { [self] job in perform(job) }, finish: { [self] job, transfer in finish(job, transfer) })
        guard CheckpointRunRegistry.shared.register(self) else {
            shutdown()
            throw .unavailable(reason: "the process is being interrupted; no new checkpoint directory is made")
        }
    }

    // MARK: Caller side

    /// Stores x[step], whose `rawCount` bytes `fill` writes, into `slot`: queued behind the
    /// caller, or written now without write-behind.
    func store(step: Int, slot: Int, rawCount: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) throws(CheckpointStoreError) {
        condition.lock()
        do throws(CheckpointStoreError) {
            try checkOpen()
            if let error = deferredError { throw error }
            try slots.checkEmpty(slot)
        } catch {
            condition.unlock()
            throw error
        }
        var waited = 0.0
        if writeBehind > 0 {
            waited = waitWhile { inFlightWrites >= writeBehind && !isClosed }
            if isClosed {
                condition.unlock()
                throw interruptedError
            }
            inFlightWrites += 1
        } else {
            callerTransfers += 1
        }
        let buffer = buffers.take(count: rawCount)
        stats.stores += 1
        stats.rawBytesStored += rawCount
        condition.unlock()

        fill(buffer.mutableBytes)

        if let ioThread, writeBehind > 0 {
            let job = CheckpointIOJob(.write, step: step, slot: slot, rawCount: rawCount, buffer: buffer)
            condition.lock()
            // The I/O thread fills in the stored bytes and its time when the write is done.
            if isClosed {
                inFlightWrites -= 1
                buffers.recycle(buffer)
                condition.unlock()
                throw interruptedError
            }
            job.recordNumber = recorder.keep(CheckpointOperationRecord(
                kind: .store, step: step, slot: slot, rawBytes: rawCount, storedBytes: nil, waitSeconds: waited))
            slots.beginWrite(job)
            ioThread.enqueue(job)
            condition.unlock()
            return
        }
        let start = monotonicSeconds()
        let transfer = format.write(buffer, step: step, slot: slot, compressor: callerCompressor)
        condition.lock()
        defer { condition.unlock() }
        callerTransfers -= 1
        condition.broadcast()
        stats.blockingSeconds += monotonicSeconds() - start
        count(transfer)
        noteFileLength(of: transfer, slot: slot)
        buffers.recycle(buffer)
        switch transfer.result {
        case let .success(fileBytes):
            slots.finishWrite(step: step, slot: slot, rawCount: rawCount, fileBytes: fileBytes)
            recorder.keep(CheckpointOperationRecord(kind: .store, step: step, slot: slot, rawBytes: rawCount, storedBytes: transfer.encodedBytes))
        case let .failure(error): throw error
        }
    }

    /// Decodes x[step] from `slot` with `decode`: from the write-behind buffer if it is
    /// still there, else from a read-ahead (waiting for it), else from the file now.
    /// `release` frees the slot.
    func restore<T>(
        step: Int, slot: Int, release: Bool, decode: (UnsafeRawBufferPointer) throws(CheckpointCodingError) -> T
    ) throws(CheckpointStoreError) -> T {
        condition.lock()
        defer { condition.unlock() }
        try checkOpen()
        if let error = deferredError { throw error }
        switch try slots.checkHolds(step: step, slot: slot) {
        case .empty:
            preconditionFailure("unreachable: an empty slot holds no step")
        case let .writing(job):
            // The state is still in the write-behind buffer: use it, no disk read.
            let value = try decodeState(job.buffer, step: step, slot: slot, decode)
            stats.restoresFromWriteBuffer += 1
            recorder.keep(CheckpointOperationRecord(
                kind: .restore, step: step, slot: slot, rawBytes: job.rawCount, storedBytes: 0, source: .writeBuffer))
            if release {
                job.cancelled = true  // the I/O thread finishes or skips the write and recycles the buffer
                slots.free(slot)
            }
            return value
        case let .reading(job, fileBytes):
            let waited = waitWhile { !job.done && !isClosed }
            try checkOpen()
            stats.restoreWaitSeconds += waited
            pendingReads -= 1
            defer { buffers.recycle(job.buffer) }
            slots.finishRead(job, fileBytes: fileBytes)
            if let error = job.error { throw error }
            let value = try decodeState(job.buffer, step: step, slot: slot, decode)
            stats.restoresFromReadAhead += 1
            recorder.keep(CheckpointOperationRecord(
                kind: .restore, step: step, slot: slot, rawBytes: job.rawCount, storedBytes: fileBytes - CheckpointFileHeader.size,
                waitSeconds: waited, backgroundSeconds: job.busySeconds, source: .readAhead))
            if release { slots.free(slot) }
            return value
        case let .onDisk(_, rawCount, fileBytes):
            let buffer = buffers.take(count: rawCount)
            defer { buffers.recycle(buffer) }
            callerTransfers += 1
            condition.unlock()
            let start = monotonicSeconds()
            let transfer = format.read(step: step, slot: slot, into: buffer, decompressor: callerDecompressor)
            let elapsed = monotonicSeconds() - start
            condition.lock()
            callerTransfers -= 1
            condition.broadcast()
            stats.blockingSeconds += elapsed
            count(transfer)
            if case let .failure(error) = transfer.result { throw error }
            let value = try decodeState(buffer, step: step, slot: slot, decode)
            recorder.keep(CheckpointOperationRecord(
                kind: .restore, step: step, slot: slot, rawBytes: rawCount, storedBytes: fileBytes - CheckpointFileHeader.size,
                source: .onDemand))
            if release { slots.free(slot) }
            return value
        }
    }

    /// Starts reading x[step] from `slot` in the background if it is on disk and fewer than
    /// `readAhead` read-aheads are pending; otherwise does nothing.
    func prefetch(step: Int, slot: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard let ioThread, readAhead > 0, !isClosed, deferredError == nil, pendingReads < readAhead, slot >= 0, slot < capacity,
            case let .onDisk(held, rawCount, fileBytes) = slots[slot], held == step
        else { return }
        let job = CheckpointIOJob(.read, step: step, slot: slot, rawCount: rawCount, buffer: buffers.take(count: rawCount))
        pendingReads += 1
        stats.prefetches += 1
        slots.beginRead(job, fileBytes: fileBytes)
        ioThread.enqueue(job)
    }

    /// Frees `slot`, which must hold x[step], without reading or decoding it: a queued write
    /// is cancelled, a read-ahead abandoned, a file left for the slot's next store. Keeps a
    /// `restore` record with no stored bytes read and no source, as a discard is a
    /// releasing restore whose state nobody wants.
    func discard(step: Int, slot: Int) throws(CheckpointStoreError) {
        condition.lock()
        defer { condition.unlock() }
        try checkOpen()
        if let error = deferredError { throw error }
        let rawCount: Int
        switch try slots.checkHolds(step: step, slot: slot) {
        case .empty:
            preconditionFailure("unreachable: an empty slot holds no step")
        case let .writing(job):
            rawCount = job.rawCount
            job.cancelled = true  // the I/O thread skips or finishes it, and recycles the buffer
        case let .reading(job, _):
            rawCount = job.rawCount
            pendingReads -= 1
            if job.done {
                buffers.recycle(job.buffer)
            } else {
                job.cancelled = true
                job.abandoned = true
            }
        case let .onDisk(_, count, _):
            rawCount = count
        }
        slots.free(slot)
        stats.discards += 1
        recorder.keep(CheckpointOperationRecord(kind: .restore, step: step, slot: slot, rawBytes: rawCount, storedBytes: 0))
    }

    /// Waits until every write behind has reached its file; throws the first failure.
    func flush() throws(CheckpointStoreError) {
        condition.lock()
        defer { condition.unlock() }
        waitWhile { inFlightWrites > 0 && !isClosed }
        try checkOpen()
        if let error = deferredError { throw error }
    }

    /// Starts keeping an operation record of every later store and restore.
    func startRecordingOperations() {
        locked { recorder.start() }
    }

    /// Stops keeping records and drops the ones not taken.
    func stopRecordingOperations() {
        locked { recorder.stop() }
    }

    /// The records not taken yet, once every write behind has finished (a wait that is not
    /// counted as the caller's: it is not part of the run).
    func takeOperationRecords() -> [CheckpointOperationRecord] {
        condition.lock()
        defer { condition.unlock() }
        while inFlightWrites > 0 && !isClosed { condition.wait() }
        return recorder.take()
    }

    /// Cancels queued work, waits for the I/O thread to go idle, removes every file.
    func removeAll() {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed else { return }
        if let ioThread {
            ioThread.cancelQueuedJobs()
            for job in slots.writesBehind { job.cancelled = true }
            waitWhile { !ioThread.isIdle }
        }
        for job in slots.readsAhead { buffers.recycle(job.buffer) }
        pendingReads = 0
        directory.removeEveryFile()
        slots.removeAll()
        buffers.freePooled()
        deferredError = nil
    }

    /// Removes the files and the directory and stops the I/O thread.
    func shutdown() {
        removeAll()
        if let ioThread {
            condition.lock()
            ioThread.requestStop()
            waitWhile { !ioThread.hasExited }
            condition.unlock()
        }
        locked { removeDirectoryOnce() }
        CheckpointRunRegistry.shared.unregister(self)
    }

    /// Bytes of RAM held: write-behind, read-ahead and pooled buffers.
    var bytesInUse: Int { locked { buffers.bytesInUse } }
    /// The largest value ``bytesInUse`` has had.
    var peakBytes: Int { locked { buffers.peakBytes } }
    /// Bytes of the checkpoints the slots hold now (headers included).
    var diskBytesInUse: Int { locked { slots.checkpointBytes } }
    /// Bytes the slot files take now, the files of free slots and stale tails included.
    var slotFileBytes: Int { locked { slots.slotFileBytes } }
    /// The largest value ``diskBytesInUse`` has had.
    var peakDiskBytesInUse: Int { locked { slots.peakCheckpointBytes } }
    /// Encoding and I/O times, byte counts and overlap.
    var statistics: CheckpointIOStatistics { locked { stats } }

    // MARK: I/O thread side

    /// Runs `job` on the I/O thread, without the lock.
    private func perform(_ job: CheckpointIOJob) -> CheckpointFileTransfer {
        switch job.kind {
        case .write: format.write(job.buffer, step: job.step, slot: job.slot, compressor: workerCompressor)
        case .read: format.read(step: job.step, slot: job.slot, into: job.buffer, decompressor: workerDecompressor)
        }
    }

    /// Hands a job the I/O thread ran (`transfer`) or skipped (`nil`) back to the slot
    /// table, with the lock held.
    private func finish(_ job: CheckpointIOJob, _ transfer: CheckpointFileTransfer?) {
        stats.backgroundSeconds += job.busySeconds
        switch job.kind {
        case .write:
            inFlightWrites -= 1
            recorder.completeRecord(job.recordNumber, storedBytes: transfer?.storedBytes, backgroundSeconds: job.busySeconds)
            if let transfer { noteFileLength(of: transfer, slot: job.slot) }
            buffers.recycle(job.buffer)
            guard let transfer else { return }
            count(transfer)
            if job.cancelled {
                // Released (or removed) while in flight: the checkpoint is not wanted; its
                // file stays for the slot's next store.
                if case let .success(fileBytes) = transfer.result { slots.forget(fileBytes: fileBytes) }
                return
            }
            switch transfer.result {
            case let .success(fileBytes):
                slots.finishWrite(step: job.step, slot: job.slot, rawCount: job.rawCount, fileBytes: fileBytes)
            case let .failure(error):
                // The caller returned long ago: report the loss at its next call.
                slots.free(job.slot)
                if deferredError == nil { deferredError = error }
            }
        case .read:
            if let transfer {
                count(transfer)
                if case let .failure(error) = transfer.result { job.error = error }
            }
            job.done = true
            // Discarded while queued or running: no restore will take the buffer.
            if job.abandoned { buffers.recycle(job.buffer) }
        }
    }

    // MARK: Helpers (call with `condition` locked)

    func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Adds a transfer to the statistics and a written checkpoint to the disk bytes.
    private func count(_ transfer: CheckpointFileTransfer) {
        stats.count(transfer)
        if transfer.isWrite, case let .success(fileBytes) = transfer.result { slots.noteWritten(fileBytes: fileBytes) }
    }

    /// Notes a write's effect on its slot file's length: its new length, or 0 when the failed
    /// write removed the file.
    private func noteFileLength(of transfer: CheckpointFileTransfer, slot: Int) {
        if case .success = transfer.result {
            slots.noteFileLength(transfer.fileLength, slot: slot)
        } else {
            slots.noteFileLength(0, slot: slot)
        }
    }

    /// Waits on the condition while `blocked`, counting the caller's waiting time.
    @discardableResult
    private func waitWhile(_ blocked: () -> Bool) -> Double {
        guard blocked() else { return 0 }
        let start = monotonicSeconds()
        while blocked() { condition.wait() }
        let waited = monotonicSeconds() - start
        stats.waitSeconds += waited
        return waited
    }

    /// Decodes the state in `buffer` and counts the restore; a decoding failure is a
    /// corrupt checkpoint.
    private func decodeState<T>(
        _ buffer: ByteBuffer, step: Int, slot: Int, _ decode: (UnsafeRawBufferPointer) throws(CheckpointCodingError) -> T
    ) throws(CheckpointStoreError) -> T {
        do throws(CheckpointCodingError) {
            let value = try decode(buffer.bytes)
            stats.restores += 1
            stats.rawBytesRestored += buffer.count
            return value
        } catch {
            throw .corrupt(step: step, slot: slot, reason: error.reason)
        }
    }
}
