import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-level machinery behind ``FileCheckpointStore``: the private directory, the
/// slot table, the checkpoint files and the I/O thread that writes behind and reads ahead.
///
/// Thread safety: every mutable field below the `condition` line is read and written only
/// while `condition` is locked; a job's buffer belongs to whoever the slot table says
/// (the queue, the I/O thread, or the caller once the job is done). The caller-side codec
/// contexts are used only by the store's owner, which is one thread at a time because the
/// store is not `Sendable`; the worker-side contexts only by the I/O thread.
final class CheckpointFileEngine: @unchecked Sendable {
    let directory: String
    let capacity: Int
    let codec: CheckpointCodec
    let writeBehind: Int
    let readAhead: Int
    let syncEveryCheckpoint: Bool
    let runID: UInt64
    private let directoryFD: Int32

    private let callerCompressor: CheckpointCompressor
    private let callerDecompressor: CheckpointDecompressor
    private let workerCompressor: CheckpointCompressor
    private let workerDecompressor: CheckpointDecompressor

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var slots: [Slot]
    private var queue: [Job] = []
    private var queueHead = 0
    private var workerBusy = false
    private var workerExited = false
    private var shuttingDown = false
    private var inFlightWrites = 0
    private var pendingReads = 0
    private var pool: [ByteBuffer] = []
    private var bufferBytes = 0
    private var peakBufferBytes = 0
    private var diskBytes = 0
    /// Each slot file's length (0: no file), released slots' files included.
    private var slotFileLengths: [Int]
    private var peakDiskBytes = 0
    private var deferredError: CheckpointStoreError?
    private var stats = CheckpointIOStatistics()
    private var recordsOperations = false
    /// The records not taken yet; `records[i]` is record number `firstRecordNumber + i`.
    private var records: [CheckpointOperationRecord] = []
    private var firstRecordNumber = 0

    final class Job {
        enum Kind { case write, read }
        let kind: Kind
        let step: Int
        let slot: Int
        let rawCount: Int
        let buffer: ByteBuffer
        var cancelled = false
        /// A read whose slot was discarded before it finished: the I/O thread recycles its
        /// buffer when done, since no restore will take it.
        var abandoned = false
        var done = false
        var fileBytes = 0
        var error: CheckpointStoreError?
        /// Seconds the I/O thread worked on the job.
        var busySeconds = 0.0
        /// The number of the write's operation record, when records are kept.
        var recordNumber: Int?
        init(_ kind: Kind, step: Int, slot: Int, rawCount: Int, buffer: ByteBuffer) {
            self.kind = kind
            self.step = step
            self.slot = slot
            self.rawCount = rawCount
            self.buffer = buffer
        }
    }

    enum Slot {
        case empty
        /// A write queued or running; its buffer still holds the state's bytes.
        case writing(Job)
        /// A complete file.
        case onDisk(step: Int, rawCount: Int, fileBytes: Int)
        /// A read-ahead queued, running or finished.
        case reading(Job, fileBytes: Int)
    }

    init(
        capacity: Int, directory parent: String?, codec: CheckpointCodec, writeBehind: Int, readAhead: Int, syncEveryCheckpoint: Bool
    ) throws(CheckpointStoreError) {
        precondition(capacity >= 0, "a store's capacity cannot be negative, got \(capacity)")
        precondition(writeBehind >= 0 && readAhead >= 0, "write-behind and read-ahead depths cannot be negative, got \(writeBehind) and \(readAhead)")
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("rewind-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .unavailable(reason: "cannot create a private checkpoint directory under \(base): \(FileDescriptorIO.describe(errno)); choose a writable directory")
        }
        let path = String(cString: made)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = FileDescriptorIO.describe(errno)
            rmdir(path)
            throw .unavailable(reason: "cannot open the checkpoint directory \(path): \(reason)")
        }
        self.directory = path
        self.directoryFD = fd
        self.capacity = capacity
        self.codec = codec
        self.writeBehind = writeBehind
        self.readAhead = readAhead
        self.syncEveryCheckpoint = syncEveryCheckpoint
        var generator = SystemRandomNumberGenerator()
        runID = generator.next()
        slots = Array(repeating: .empty, count: capacity)
        slotFileLengths = Array(repeating: 0, count: capacity)
        callerCompressor = CheckpointCompressor(codec: codec)
        callerDecompressor = CheckpointDecompressor(codec: codec)
        workerCompressor = CheckpointCompressor(codec: codec)
        workerDecompressor = CheckpointDecompressor(codec: codec)
        if writeBehind > 0 || readAhead > 0 {
            let thread = Thread { [self] in workerLoop() }
            thread.name = "rewind checkpoint I/O"
            thread.start()
        } else {
            workerExited = true
        }
    }

    /// The file that holds `slot` once written.
    func path(slot: Int) -> String { "\(directory)/\(fileName(slot: slot))" }
    private func fileName(slot: Int) -> String { "slot-\(slot).ckpt" }

    // MARK: Caller side

    func store(step: Int, slot: Int, rawCount: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) throws(CheckpointStoreError) {
        condition.lock()
        if let error = deferredError {
            condition.unlock()
            throw error
        }
        guard slots.indices.contains(slot) else {
            condition.unlock()
            throw .slotOutOfRange(slot: slot, capacity: capacity)
        }
        if let held = heldStep(slots[slot]) {
            condition.unlock()
            throw .slotOccupied(slot: slot, heldStep: held)
        }
        var waited = 0.0
        if writeBehind > 0 {
            waited = waitWhile { inFlightWrites >= writeBehind }
            inFlightWrites += 1
        }
        let buffer = takeBuffer(rawCount)
        stats.stores += 1
        stats.rawBytesStored += rawCount
        condition.unlock()

        fill(UnsafeMutableRawBufferPointer(start: buffer.base, count: rawCount))
        let job = Job(.write, step: step, slot: slot, rawCount: rawCount, buffer: buffer)

        if writeBehind > 0 {
            condition.lock()
            // The I/O thread fills in the stored bytes and its time when the write is done.
            job.recordNumber = keep(CheckpointOperationRecord(
                kind: .store, step: step, slot: slot, rawBytes: rawCount, storedBytes: nil, waitSeconds: waited))
            slots[slot] = .writing(job)
            queue.append(job)
            condition.broadcast()
            condition.unlock()
            return
        }
        let start = monotonicSeconds()
        let outcome = writeFile(job, compressor: callerCompressor)
        condition.lock()
        defer { condition.unlock() }
        stats.blockingSeconds += monotonicSeconds() - start
        record(outcome)
        noteFileLength(of: outcome, slot: slot)
        recycle(buffer)
        switch outcome.result {
        case let .success(fileBytes):
            slots[slot] = .onDisk(step: step, rawCount: rawCount, fileBytes: fileBytes)
            keep(CheckpointOperationRecord(kind: .store, step: step, slot: slot, rawBytes: rawCount, storedBytes: outcome.encodedBytes))
        case let .failure(error): throw error
        }
    }

    func restore<T>(
        step: Int, slot: Int, release: Bool, decode: (UnsafeRawBufferPointer) throws(CheckpointCodingError) -> T
    ) throws(CheckpointStoreError) -> T {
        condition.lock()
        defer { condition.unlock() }
        if let error = deferredError { throw error }
        guard slots.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: capacity) }
        guard heldStep(slots[slot]) == step else {
            throw .missingCheckpoint(step: step, slot: slot, heldStep: heldStep(slots[slot]))
        }
        switch slots[slot] {
        case .empty:
            preconditionFailure("unreachable: an empty slot holds no step")
        case let .writing(job):
            // The state is still in the write-behind buffer: use it, no disk read.
            let value = try decodeState(job.buffer, count: job.rawCount, step: step, slot: slot, decode)
            stats.restoresFromWriteBuffer += 1
            keep(CheckpointOperationRecord(
                kind: .restore, step: step, slot: slot, rawBytes: job.rawCount, storedBytes: 0, source: .writeBuffer))
            if release {
                job.cancelled = true  // the I/O thread removes the file and recycles the buffer
                slots[slot] = .empty
            }
            return value
        case let .reading(job, fileBytes):
            let waited = waitWhile { !job.done }
            stats.restoreWaitSeconds += waited
            pendingReads -= 1
            defer { recycle(job.buffer) }
            slots[slot] = .onDisk(step: step, rawCount: job.rawCount, fileBytes: fileBytes)
            if let error = job.error { throw error }
            let value = try decodeState(job.buffer, count: job.rawCount, step: step, slot: slot, decode)
            stats.restoresFromReadAhead += 1
            keep(CheckpointOperationRecord(
                kind: .restore, step: step, slot: slot, rawBytes: job.rawCount, storedBytes: fileBytes - CheckpointFileHeader.size,
                waitSeconds: waited, backgroundSeconds: job.busySeconds, source: .readAhead))
            if release { releaseSlot(slot) }
            return value
        case let .onDisk(_, rawCount, fileBytes):
            let buffer = takeBuffer(rawCount)
            defer { recycle(buffer) }
            let job = Job(.read, step: step, slot: slot, rawCount: rawCount, buffer: buffer)
            condition.unlock()
            let start = monotonicSeconds()
            let outcome = readFile(job, fileBytes: fileBytes, decompressor: callerDecompressor)
            let elapsed = monotonicSeconds() - start
            condition.lock()
            stats.blockingSeconds += elapsed
            record(outcome)
            if case let .failure(error) = outcome.result { throw error }
            let value = try decodeState(buffer, count: rawCount, step: step, slot: slot, decode)
            keep(CheckpointOperationRecord(
                kind: .restore, step: step, slot: slot, rawBytes: rawCount, storedBytes: fileBytes - CheckpointFileHeader.size,
                source: .onDemand))
            if release { releaseSlot(slot) }
            return value
        }
    }

    func prefetch(step: Int, slot: Int) {
        condition.lock()
        defer { condition.unlock() }
        guard readAhead > 0, deferredError == nil, !shuttingDown, pendingReads < readAhead, slots.indices.contains(slot),
            case let .onDisk(held, rawCount, fileBytes) = slots[slot], held == step
        else { return }
        let job = Job(.read, step: step, slot: slot, rawCount: rawCount, buffer: takeBuffer(rawCount))
        pendingReads += 1
        stats.prefetches += 1
        slots[slot] = .reading(job, fileBytes: fileBytes)
        queue.append(job)
        condition.broadcast()
    }

    /// Frees `slot`, which must hold x[step], without reading or decoding it: a queued write
    /// is cancelled, a read-ahead abandoned, a file left for the slot's next store. Keeps a
    /// `restore` record with no stored bytes read and no source, as a discard is a
    /// releasing restore whose state nobody wants.
    func discard(step: Int, slot: Int) throws(CheckpointStoreError) {
        condition.lock()
        defer { condition.unlock() }
        if let error = deferredError { throw error }
        guard slots.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: capacity) }
        guard heldStep(slots[slot]) == step else {
            throw .missingCheckpoint(step: step, slot: slot, heldStep: heldStep(slots[slot]))
        }
        var rawCount = 0
        switch slots[slot] {
        case .empty:
            preconditionFailure("unreachable: an empty slot holds no step")
        case let .writing(job):
            rawCount = job.rawCount
            job.cancelled = true  // the I/O thread skips or finishes it, and recycles the buffer
        case let .reading(job, fileBytes):
            rawCount = job.rawCount
            pendingReads -= 1
            diskBytes -= fileBytes
            if job.done {
                recycle(job.buffer)
            } else {
                job.cancelled = true
                job.abandoned = true
            }
        case let .onDisk(_, count, fileBytes):
            rawCount = count
            diskBytes -= fileBytes
        }
        slots[slot] = .empty
        stats.discards += 1
        keep(CheckpointOperationRecord(kind: .restore, step: step, slot: slot, rawBytes: rawCount, storedBytes: 0))
    }

    /// Waits until every write behind has reached its file; throws the first failure.
    func flush() throws(CheckpointStoreError) {
        condition.lock()
        defer { condition.unlock() }
        waitWhile { inFlightWrites > 0 }
        if let error = deferredError { throw error }
    }

    /// Starts keeping an operation record of every later store and restore.
    func startRecordingOperations() {
        locked { recordsOperations = true }
    }

    /// Stops keeping records and drops the ones not taken.
    func stopRecordingOperations() {
        locked {
            recordsOperations = false
            firstRecordNumber += records.count
            records.removeAll()
        }
    }

    /// The records not taken yet, once every write behind has finished (a wait that is not
    /// counted as the caller's: it is not part of the run).
    func takeOperationRecords() -> [CheckpointOperationRecord] {
        condition.lock()
        defer { condition.unlock() }
        while inFlightWrites > 0 { condition.wait() }
        let taken = records
        firstRecordNumber += records.count
        records.removeAll()
        return taken
    }

    /// Cancels queued work, waits for the I/O thread to go idle, removes every file.
    func removeAll() {
        condition.lock()
        defer { condition.unlock() }
        for job in queue[queueHead...] { job.cancelled = true }
        for case let .writing(job) in slots { job.cancelled = true }
        waitWhile { queueHead < queue.count || workerBusy }
        for case let .reading(job, _) in slots { recycle(job.buffer) }
        pendingReads = 0
        removeEveryFile()
        slots = Array(repeating: .empty, count: capacity)
        slotFileLengths = Array(repeating: 0, count: capacity)
        diskBytes = 0
        for buffer in pool { bufferBytes -= buffer.capacity }
        pool.removeAll()
        deferredError = nil
    }

    /// Removes the files and the directory and stops the I/O thread.
    func shutdown() {
        removeAll()
        condition.lock()
        shuttingDown = true
        condition.broadcast()
        waitWhile { !workerExited }
        condition.unlock()
        close(directoryFD)
        rmdir(directory)
    }

    var bytesInUse: Int { locked { bufferBytes } }
    var peakBytes: Int { locked { peakBufferBytes } }
    var diskBytesInUse: Int { locked { diskBytes } }
    var slotFileBytes: Int { locked { slotFileLengths.reduce(0, +) } }
    var peakDiskBytesInUse: Int { locked { peakDiskBytes } }
    var statistics: CheckpointIOStatistics { locked { stats } }

    // MARK: Helpers (call with `condition` locked)

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    private func heldStep(_ slot: Slot) -> Int? {
        switch slot {
        case .empty: nil
        case let .writing(job): job.step
        case let .onDisk(step, _, _): step
        case let .reading(job, _): job.step
        }
    }

    /// Keeps `record` if records are kept; returns its number.
    @discardableResult
    private func keep(_ record: CheckpointOperationRecord) -> Int? {
        guard recordsOperations else { return nil }
        records.append(record)
        return firstRecordNumber + records.count - 1
    }

    /// Completes the record of a write behind, unless it was taken or dropped meanwhile.
    private func completeRecord(of job: Job, storedBytes: Int?) {
        guard let number = job.recordNumber, records.indices.contains(number - firstRecordNumber) else { return }
        records[number - firstRecordNumber].storedBytes = storedBytes
        records[number - firstRecordNumber].backgroundSeconds = job.busySeconds
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

    private func takeBuffer(_ count: Int) -> ByteBuffer {
        if let index = pool.firstIndex(where: { $0.capacity >= count }) {
            let buffer = pool.remove(at: index)
            buffer.count = count
            return buffer
        }
        let buffer = ByteBuffer(capacity: count)
        buffer.count = count
        bufferBytes += buffer.capacity
        peakBufferBytes = Swift.max(peakBufferBytes, bufferBytes)
        return buffer
    }

    private func recycle(_ buffer: ByteBuffer) {
        if pool.count < writeBehind + readAhead + 1 {
            pool.append(buffer)
        } else {
            bufferBytes -= buffer.capacity
        }
    }

    private func decodeState<T>(
        _ buffer: ByteBuffer, count: Int, step: Int, slot: Int, _ decode: (UnsafeRawBufferPointer) throws(CheckpointCodingError) -> T
    ) throws(CheckpointStoreError) -> T {
        do throws(CheckpointCodingError) {
            let value = try decode(UnsafeRawBufferPointer(start: buffer.base, count: count))
            stats.restores += 1
            stats.rawBytesRestored += count
            return value
        } catch {
            throw .corrupt(step: step, slot: slot, reason: error.reason)
        }
    }

    /// Frees a slot whose checkpoint is on disk. Its file stays, for the slot's next store
    /// to overwrite; the slot table no longer vouches for it, so nothing reads it.
    private func releaseSlot(_ slot: Int) {
        if case let .onDisk(_, _, fileBytes) = slots[slot] { diskBytes -= fileBytes }
        slots[slot] = .empty
    }

    /// Notes a write's effect on its slot file's length: its new length, or 0 when the failed
    /// write removed the file.
    private func noteFileLength(of outcome: Outcome, slot: Int) {
        if case .success = outcome.result { slotFileLengths[slot] = outcome.fileLength } else { slotFileLengths[slot] = 0 }
    }

    /// Unlinks every entry of the run's directory (ours by construction: mode 0700).
    private func removeEveryFile() {
        let fd = dup(directoryFD)
        guard fd >= 0, let stream = fdopendir(fd) else { return }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names { unlinkat(directoryFD, name, 0) }
    }

    private struct Outcome {
        var result: Result<Int, CheckpointStoreError>
        var encodedBytes = 0
        var rawBytes = 0
        var codecSeconds = 0.0
        var ioSeconds = 0.0
        /// A write's slot file length afterwards (the checkpoint and any stale tail).
        var fileLength = 0
        var isWrite: Bool
    }

    private func record(_ outcome: Outcome) {
        guard case let .success(fileBytes) = outcome.result else { return }
        if outcome.isWrite {
            stats.bytesWritten += fileBytes
            stats.encodedBytesStored += outcome.encodedBytes
            stats.rawBytesEncoded += outcome.rawBytes
            stats.encodeSeconds += outcome.codecSeconds
            stats.writeSeconds += outcome.ioSeconds
            diskBytes += fileBytes
            peakDiskBytes = Swift.max(peakDiskBytes, diskBytes)
        } else {
            stats.bytesRead += fileBytes
            stats.decodeSeconds += outcome.codecSeconds
            stats.readSeconds += outcome.ioSeconds
        }
    }

    // MARK: I/O thread

    private func workerLoop() {
        condition.lock()
        while true {
            while queueHead == queue.count && !shuttingDown { condition.wait() }
            if queueHead == queue.count { break }
            let job = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            var fileBytes = 0
            if case let .reading(_, bytes) = slots[job.slot] { fileBytes = bytes }
            workerBusy = true
            let cancelled = job.cancelled
            condition.unlock()

            let start = monotonicSeconds()
            var outcome: Outcome?
            if !cancelled {
                outcome = job.kind == .write
                    ? writeFile(job, compressor: workerCompressor)
                    : readFile(job, fileBytes: fileBytes, decompressor: workerDecompressor)
            }
            let busy = monotonicSeconds() - start

            condition.lock()
            workerBusy = false
            stats.backgroundSeconds += busy
            job.busySeconds = busy
            complete(job, outcome)
            condition.broadcast()
        }
        workerExited = true
        condition.broadcast()
        condition.unlock()
    }

    private func complete(_ job: Job, _ outcome: Outcome?) {
        switch job.kind {
        case .write:
            inFlightWrites -= 1
            completeRecord(of: job, storedBytes: outcome.flatMap { $0.result.isSuccess ? $0.encodedBytes : nil })
            if let outcome { noteFileLength(of: outcome, slot: job.slot) }
            if job.cancelled {
                // Released (or removed) while in flight: the checkpoint is not wanted; its
                // file stays for the slot's next store.
                if let outcome, case let .success(fileBytes) = outcome.result {
                    record(outcome)
                    diskBytes -= fileBytes
                }
                recycle(job.buffer)
                return
            }
            recycle(job.buffer)
            guard let outcome else { return }
            record(outcome)
            switch outcome.result {
            case let .success(fileBytes):
                slots[job.slot] = .onDisk(step: job.step, rawCount: job.rawCount, fileBytes: fileBytes)
            case let .failure(error):
                // The caller returned long ago: report the loss at its next call.
                slots[job.slot] = .empty
                if deferredError == nil { deferredError = error }
            }
        case .read:
            if let outcome {
                record(outcome)
                if case let .failure(error) = outcome.result { job.error = error }
            }
            job.done = true
            // Discarded while queued or running: no restore will take the buffer.
            if job.abandoned { recycle(job.buffer) }
        }
    }

    // MARK: Files (no lock held)

    /// Overwrites `job`'s slot file in place: a blank header first, then the payload, then
    /// the valid header, so that until the last write the file reads as unfinished. Creates
    /// the file on the slot's first store; cuts it back when an earlier, larger checkpoint
    /// would leave more than ``CheckpointFileHeader/allowedStaleTail(checkpointBytes:)``
    /// behind. A failed write removes the file (its old content belonged to a released slot).
    ///
    /// No rename is needed for the "never read half a checkpoint" guarantee: readers only
    /// see the file through this engine, which reads a slot only after its write completed,
    /// and anyone else (a crash, a concurrent damage) finds a blank header or a checksum
    /// that does not match. With ``syncEveryCheckpoint`` the payload reaches the device
    /// before the header that vouches for it, and the header before the store is done.
    private func writeFile(_ job: Job, compressor: CheckpointCompressor) -> Outcome {
        let name = fileName(slot: job.slot)
        let path = "\(directory)/\(name)"
        let bytesNeeded = CheckpointFileHeader.size + codec.maxEncodedCount(rawCount: job.rawCount)
        var outcome = Outcome(result: .success(0), isWrite: true)
        var ioSeconds = 0.0
        let start = monotonicSeconds()
        let fd = openat(directoryFD, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            outcome.result = .failure(.writeFailed(path: path, bytesNeeded: bytesNeeded, reason: FileDescriptorIO.describe(errno)))
            return outcome
        }
        var closed = false
        do throws(CheckpointStoreError) {
            func failure(_ call: String) -> CheckpointStoreError {
                .writeFailed(path: path, bytesNeeded: bytesNeeded, reason: "\(call): " + FileDescriptorIO.describe(errno))
            }
            try FileDescriptorIO.writeAll(fd, CheckpointFileHeader.blank, path: path, bytesNeeded: bytesNeeded)
            var hasher = XXH64()
            var payload = 0
            try compressor.compress(job.buffer.bytes) { (chunk) throws(CheckpointStoreError) in
                hasher.update(chunk)
                payload += chunk.count
                let t = monotonicSeconds()
                defer { ioSeconds += monotonicSeconds() - t }
                try FileDescriptorIO.writeAll(fd, chunk, path: path, bytesNeeded: bytesNeeded)
            }
            let t = monotonicSeconds()
            let checkpointBytes = CheckpointFileHeader.size + payload
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw failure("fstat") }
            var fileLength = Int(info.st_size)
            if fileLength - checkpointBytes > CheckpointFileHeader.allowedStaleTail(checkpointBytes: checkpointBytes) {
                guard ftruncate(fd, off_t(checkpointBytes)) == 0 else { throw failure("ftruncate") }
                fileLength = checkpointBytes
            }
            if syncEveryCheckpoint, fdatasync(fd) != 0 { throw failure("fdatasync of the payload") }
            let header = CheckpointFileHeader(
                runID: runID, step: job.step, slot: job.slot, rawSize: job.rawCount, payloadSize: payload,
                codecCode: codec.headerCode, payloadChecksum: hasher.digest())
            let headerBytes = header.encoded()
            guard pwrite(fd, headerBytes, headerBytes.count, 0) == headerBytes.count else { throw failure("header") }
            if syncEveryCheckpoint, fdatasync(fd) != 0 { throw failure("fdatasync of the header") }
            closed = true
            if close(fd) != 0 { throw failure("close") }
            ioSeconds += monotonicSeconds() - t
            outcome.encodedBytes = payload
            outcome.rawBytes = job.rawCount
            outcome.fileLength = fileLength
            outcome.result = .success(checkpointBytes)
        } catch {
            if !closed { close(fd) }
            unlinkat(directoryFD, name, 0)
            outcome.result = .failure(error)
        }
        outcome.ioSeconds = ioSeconds
        outcome.codecSeconds = monotonicSeconds() - start - ioSeconds
        return outcome
    }

    /// Reads, checks and decodes `job`'s file into its buffer.
    private func readFile(_ job: Job, fileBytes: Int, decompressor: CheckpointDecompressor) -> Outcome {
        var outcome = Outcome(result: .success(0), isWrite: false)
        let start = monotonicSeconds()
        readFile(job, decompressor: decompressor, into: &outcome)
        outcome.codecSeconds = monotonicSeconds() - start - outcome.ioSeconds
        return outcome
    }

    private func readFile(_ job: Job, decompressor: CheckpointDecompressor, into outcome: inout Outcome) {
        let path = self.path(slot: job.slot)
        func corrupt(_ reason: String) -> CheckpointStoreError { .corrupt(step: job.step, slot: job.slot, reason: "\(reason) in \(path)") }
        let fd = openat(directoryFD, fileName(slot: job.slot), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            outcome.result = .failure(code == ENOENT || code == ELOOP
                ? corrupt("the checkpoint file is missing or not a regular file: \(FileDescriptorIO.describe(code))")
                : .readFailed(path: path, reason: FileDescriptorIO.describe(code)))
            return
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            outcome.result = .failure(corrupt("not a regular file"))
            return
        }
        var headerBytes = [UInt8](repeating: 0, count: CheckpointFileHeader.size)
        let got = headerBytes.withUnsafeMutableBytes { FileDescriptorIO.readUpTo(fd, $0) }
        guard got.error == 0 else {
            outcome.result = .failure(.readFailed(path: path, reason: FileDescriptorIO.describe(got.error)))
            return
        }
        let parsed = headerBytes[0 ..< got.count].withUnsafeBytes { CheckpointFileHeader.decode($0) }
        let header: CheckpointFileHeader
        switch parsed {
        case let .failure(problem):
            outcome.result = .failure(corrupt(problem.reason))
            return
        case let .success(value): header = value
        }
        let expectedSize = CheckpointFileHeader.size + header.payloadSize
        var problem: String?
        if header.runID != runID {
            problem = "the file was written by another run (stale)"
        } else if header.step != job.step || header.slot != job.slot {
            problem = "the file holds x\(header.step) of slot \(header.slot) (stale)"
        } else if header.codecCode != codec.headerCode {
            problem = "the file was written with another codec"
        } else if header.rawSize != job.rawCount {
            problem = "the file holds \(header.rawSize) state bytes, expected \(job.rawCount)"
        } else if Int(info.st_size) < expectedSize {
            problem = "the file has \(info.st_size) bytes, its header says \(expectedSize) (truncated)"
        } else if Int(info.st_size) - expectedSize > CheckpointFileHeader.allowedStaleTail(checkpointBytes: expectedSize) {
            problem = "the file has \(info.st_size) bytes, more than its header's \(expectedSize) and the tail a store may leave (extended)"
        }
        if let problem {
            outcome.result = .failure(corrupt(problem))
            return
        }
        var hasher = XXH64()
        var remaining = header.payloadSize
        var readError: Int32 = 0
        do throws(CheckpointCodingError) {
            try decompressor.decompress(into: job.buffer.mutableBytes) { destination in
                let want = Swift.min(destination.count, remaining)
                guard want > 0, readError == 0 else { return 0 }
                let t = monotonicSeconds()
                let result = FileDescriptorIO.readUpTo(fd, UnsafeMutableRawBufferPointer(rebasing: destination[0 ..< want]))
                outcome.ioSeconds += monotonicSeconds() - t
                readError = result.error
                hasher.update(UnsafeRawBufferPointer(rebasing: destination[0 ..< result.count]))
                remaining -= result.count
                return result.count
            }
        } catch {
            outcome.result = .failure(readError != 0
                ? .readFailed(path: path, reason: FileDescriptorIO.describe(readError))
                : corrupt(hasher.digest() == header.payloadChecksum ? error.reason : "the payload checksum does not match (\(error.reason))"))
            return
        }
        guard hasher.digest() == header.payloadChecksum else {
            outcome.result = .failure(corrupt("the payload checksum does not match"))
            return
        }
        outcome.result = .success(expectedSize)
    }
}

extension Result {
    /// Whether this is a `.success`.
    fileprivate var isSuccess: Bool {
        if case .success = self { true } else { false }
    }
}
