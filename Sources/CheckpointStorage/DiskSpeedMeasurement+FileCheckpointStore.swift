extension DiskSpeedMeasurement {
    /// Times the real ``FileCheckpointStore``, configured as the planned driver uses it,
    /// on states of two sizes and fits latency and bandwidth to them
    /// (``fitLine(small:large:)``).
    ///
    /// ```swift
    /// let disk = try DiskSpeedMeasurement.measure(directory: "/scratch")
    /// let budget = DiskBudget(bytes: 20_000_000_000, directory: "/scratch", measured: disk)
    /// ```
    ///
    /// For each size, a batch of stores is queued back to back and flushed (so a store
    /// costs what the I/O thread needs per file once the write-behind queue is full), then
    /// each state is prefetched and at once restored and released (so a restore costs the
    /// whole read, with no computation to hide it). The best batch of `repetitions` counts:
    /// on a shared machine the slower ones measure other people's work. Files are written
    /// with the identity codec (a codec's time is the codec's measurement); the page cache
    /// is not dropped, as in a real run whose checkpoints are read back soon after.
    ///
    /// - Parameters:
    ///   - directory: where the store's private directory goes; `nil` for `$TMPDIR` or `/tmp`.
    ///   - smallStateBytes: the small state's encoded size (at least 8; rounded down to 8 + 8k).
    ///   - largeStateBytes: the large state's encoded size, more than the small one.
    ///   - writeBehind: the store's write-behind depth (the planned driver uses 2).
    ///   - readAhead: the store's read-ahead depth (the planned driver uses 1).
    ///   - repetitions: batches per size; the fastest counts.
    /// - Returns: positive, finite figures.
    /// - Throws: ``CheckpointStoreError`` when the directory cannot be used or a file
    ///   cannot be written or read back.
    /// - Complexity: 2 × `repetitions` batches per size: 256 small states, and as many large
    ///   ones as fit in 32 MiB (at least 4).
    public static func measure(
        directory: String? = nil, smallStateBytes: Int = 64, largeStateBytes: Int = 4 << 20,
        writeBehind: Int = 2, readAhead: Int = 1, repetitions: Int = 3
    ) throws(CheckpointStoreError) -> DiskSpeedMeasurement {
        precondition(smallStateBytes >= 8 && largeStateBytes >= smallStateBytes + 8,
                     "measure two state sizes of at least 8 bytes, the larger by at least 8, got \(smallStateBytes) and \(largeStateBytes)")
        precondition(repetitions >= 1, "measure at least once, got \(repetitions) repetitions")
        let small = try timeFileOperations(
            stateBytes: smallStateBytes, operations: 256, directory: directory,
            writeBehind: writeBehind, readAhead: readAhead, repetitions: repetitions)
        let largeOperations = Swift.min(256, Swift.max(4, (32 << 20) / largeStateBytes))
        let large = try timeFileOperations(
            stateBytes: largeStateBytes, operations: largeOperations, directory: directory,
            writeBehind: writeBehind, readAhead: readAhead, repetitions: repetitions)
        let write = fitLine(small: (small.bytes, small.writeSeconds), large: (large.bytes, large.writeSeconds))
        let read = fitLine(small: (small.bytes, small.readSeconds), large: (large.bytes, large.readSeconds))
        return DiskSpeedMeasurement(
            writeLatency: write.latency, readLatency: read.latency, writeBandwidth: write.bandwidth, readBandwidth: read.bandwidth,
            sampleSizes: [small.bytes, large.bytes])
    }

    /// Seconds per store and per restore of one state size in a ``FileCheckpointStore``,
    /// timed as ``measure(directory:smallStateBytes:largeStateBytes:writeBehind:readAhead:repetitions:)``
    /// times each size: a batch of `operations` stores then flush, then `operations`
    /// prefetch-and-restore pairs; the best of `repetitions` batches.
    ///
    /// ```swift
    /// let timed = try DiskSpeedMeasurement.timeFileOperations(stateBytes: 328, operations: 256)
    /// ```
    ///
    /// - Parameters:
    ///   - stateBytes: the state's encoded size (at least 8; rounded down to 8 + 8k).
    ///   - operations: states stored, then restored, per batch; also the store's capacity
    ///     (one slot per state). At least 1.
    ///   - directory: where the store's private directory goes; `nil` for `$TMPDIR` or `/tmp`.
    ///   - writeBehind: the store's write-behind depth (the planned driver uses 2).
    ///   - readAhead: the store's read-ahead depth (the planned driver uses 1).
    ///   - repetitions: batches timed; the fastest store and the fastest restore figures
    ///     count, each on its own. At least 1.
    /// - Returns: the encoded bytes of the state timed and the seconds (at least 1 ns).
    /// - Throws: ``CheckpointStoreError`` when a file cannot be written or read back.
    /// - Complexity: 2 × `repetitions` × `operations` file operations.
    public static func timeFileOperations(
        stateBytes: Int, operations: Int, directory: String? = nil, writeBehind: Int = 2, readAhead: Int = 1, repetitions: Int = 3
    ) throws(CheckpointStoreError) -> (bytes: Int, writeSeconds: Double, readSeconds: Double) {
        precondition(stateBytes >= 8 && operations >= 1 && repetitions >= 1,
                     "time at least one operation once on a state of at least 8 bytes, got \(operations) operations, \(repetitions) repetitions, \(stateBytes) bytes")
        let elements = (stateBytes - 8) / 8
        let state = (0 ..< elements).map { Double($0) * 0.5 + 1 }
        let store = try FileCheckpointStore<[Double]>(
            capacity: operations, directory: directory, codec: .identity, writeBehind: writeBehind, readAhead: readAhead)
        var write = Double.infinity, read = Double.infinity
        for _ in 0 ..< repetitions {
            var start = monotonicSeconds()
            for slot in 0 ..< operations { try store.store(state, step: slot, slot: slot) }
            try store.flush()
            write = Swift.min(write, (monotonicSeconds() - start) / Double(operations))
            start = monotonicSeconds()
            for slot in 0 ..< operations {
                store.prefetch(step: slot, slot: slot)
                let restored = try store.restore(step: slot, slot: slot, release: true)
                precondition(restored.count == elements, "the file store gave back \(restored.count) values, stored \(elements)")
            }
            read = Swift.min(read, (monotonicSeconds() - start) / Double(operations))
        }
        // A clock that did not advance still means the operation took time: at least 1 ns.
        return (state.checkpointEncodedByteCount, Swift.max(write, 1e-9), Swift.max(read, 1e-9))
    }
}
