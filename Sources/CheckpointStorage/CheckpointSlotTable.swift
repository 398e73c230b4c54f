/// What each slot of a file store holds, and the disk bytes that follow from it.
///
/// Each slot moves through four states:
///
/// | from | event | to |
/// |---|---|---|
/// | empty | store with write-behind (``beginWrite(_:)``) | writing |
/// | writing | the I/O thread wrote the file (``finishWrite(step:slot:rawCount:fileBytes:)``) | onDisk |
/// | empty | store on the caller's thread (``finishWrite(step:slot:rawCount:fileBytes:)``) | onDisk |
/// | onDisk | prefetch (``beginRead(_:fileBytes:)``) | reading |
/// | reading | a restore took the read-ahead (``finishRead(_:fileBytes:)``) | onDisk |
/// | any | releasing restore, discard, failed write behind (``free(_:)``) | empty |
/// | every slot | the store removes its files (``removeAll()``) | empty |
///
/// A file's bytes count in ``checkpointBytes``
/// from the moment its write succeeds (``noteWritten(fileBytes:)``) until the slot is freed;
/// a slot's file itself stays for the slot's next store, and its length counts in
/// ``slotFileBytes`` until ``removeAll()``.
///
/// A value, guarded by its store's lock; it does no I/O.
struct CheckpointSlotTable {
    /// What one slot holds.
    enum State {
        /// Nothing.
        case empty
        /// A write queued or running; its buffer still holds the state's bytes.
        case writing(CheckpointIOJob)
        /// A complete file.
        case onDisk(step: Int, rawCount: Int, fileBytes: Int)
        /// A read-ahead queued, running or finished.
        case reading(CheckpointIOJob, fileBytes: Int)

        /// The step whose state the slot holds; `nil` when empty.
        var heldStep: Int? {
            switch self {
            case .empty: nil
            case let .writing(job): job.step
            case let .onDisk(step, _, _): step
            case let .reading(job, _): job.step
            }
        }
    }

    private var states: [State]
    /// Each slot file's length (0: no file), released slots' files included.
    private var fileLengths: [Int]
    /// Bytes of the checkpoints the slots hold now (headers included).
    private(set) var checkpointBytes = 0
    /// The largest value ``checkpointBytes`` has had.
    private(set) var peakCheckpointBytes = 0

    /// `capacity` empty slots without files.
    init(capacity: Int) {
        states = Array(repeating: .empty, count: capacity)
        fileLengths = Array(repeating: 0, count: capacity)
    }

    /// The number of slots.
    var capacity: Int { states.count }

    /// What `slot` holds; the slot must be in range.
    subscript(slot: Int) -> State { states[slot] }

    /// Bytes the slot files take now: ``checkpointBytes`` plus the files that free slots
    /// keep for their next store, and the stale tails.
    var slotFileBytes: Int { fileLengths.reduce(0, +) }

    /// The jobs of the slots being written behind.
    var writesBehind: [CheckpointIOJob] { states.compactMap { if case let .writing(job) = $0 { job } else { nil } } }

    /// The jobs of the slots being read ahead.
    var readsAhead: [CheckpointIOJob] { states.compactMap { if case let .reading(job, _) = $0 { job } else { nil } } }

    /// Checks that `slot` exists and is empty, so a store may fill it.
    ///
    /// - Throws: ``CheckpointStoreError/slotOutOfRange(slot:capacity:)`` or
    ///   ``CheckpointStoreError/slotOccupied(slot:heldStep:)``.
    // The checks and `free` are inlined: the engine calls them under its lock on every
    // store, restore and discard, and out of line each call copied the table (+14 ns a discard).
    @inline(__always)
    func checkEmpty(_ slot: Int) throws(CheckpointStoreError) {
        guard states.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: capacity) }
        if let held = states[slot].heldStep { throw .slotOccupied(slot: slot, heldStep: held) }
    }

    /// Returns what `slot` holds after checking that it is x[step].
    ///
    /// - Throws: ``CheckpointStoreError/slotOutOfRange(slot:capacity:)`` or
    ///   ``CheckpointStoreError/missingCheckpoint(step:slot:heldStep:)``.
    @inline(__always)
    func checkHolds(step: Int, slot: Int) throws(CheckpointStoreError) -> State {
        guard states.indices.contains(slot) else { throw .slotOutOfRange(slot: slot, capacity: capacity) }
        let state = states[slot]
        guard state.heldStep == step else { throw .missingCheckpoint(step: step, slot: slot, heldStep: state.heldStep) }
        return state
    }

    /// empty → writing: `job` will write its slot behind the caller.
    mutating func beginWrite(_ job: CheckpointIOJob) {
        states[job.slot] = .writing(job)
    }

    /// → onDisk: x[step] is in `slot`'s file, `fileBytes` long. Its bytes were counted
    /// by ``noteWritten(fileBytes:)``.
    mutating func finishWrite(step: Int, slot: Int, rawCount: Int, fileBytes: Int) {
        states[slot] = .onDisk(step: step, rawCount: rawCount, fileBytes: fileBytes)
    }

    /// onDisk → reading: `job` reads the slot's file ahead of its restore.
    mutating func beginRead(_ job: CheckpointIOJob, fileBytes: Int) {
        states[job.slot] = .reading(job, fileBytes: fileBytes)
    }

    /// reading → onDisk: a restore took the read-ahead `job`.
    mutating func finishRead(_ job: CheckpointIOJob, fileBytes: Int) {
        states[job.slot] = .onDisk(step: job.step, rawCount: job.rawCount, fileBytes: fileBytes)
    }

    /// Any state → empty. A checkpoint on disk (or being read) stops counting; its file
    /// stays, for the slot's next store to overwrite, but nothing reads it any more.
    @inline(__always)
    mutating func free(_ slot: Int) {
        switch states[slot] {
        case let .onDisk(_, _, fileBytes), let .reading(_, fileBytes): forget(fileBytes: fileBytes)
        case .empty, .writing: break
        }
        states[slot] = .empty
    }

    /// Counts a checkpoint file that was just written (before its slot is onDisk, and even
    /// when its slot was freed meanwhile: ``forget(fileBytes:)`` then takes it back).
    mutating func noteWritten(fileBytes: Int) {
        checkpointBytes += fileBytes
        peakCheckpointBytes = Swift.max(peakCheckpointBytes, checkpointBytes)
    }

    /// Stops counting a checkpoint file's bytes.
    mutating func forget(fileBytes: Int) {
        checkpointBytes -= fileBytes
    }

    /// Notes a write's effect on `slot`'s file: its new `length` after success, or 0 when
    /// the failed write removed the file.
    mutating func noteFileLength(_ length: Int, slot: Int) {
        fileLengths[slot] = length
    }

    /// Empties every slot once their files are removed; the peak stays.
    mutating func removeAll() {
        states = Array(repeating: .empty, count: capacity)
        fileLengths = Array(repeating: 0, count: capacity)
        checkpointBytes = 0
    }
}
