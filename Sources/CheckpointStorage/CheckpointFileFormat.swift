import SystemPackage

/// How a checkpoint goes into its slot file and comes back: the layout around
/// ``CheckpointFileHeader``, and the checks that keep a bad file from being returned.
///
/// **Writing** overwrites the slot file in place: a blank header first, then the payload,
/// then the valid header, so that until the last write the file reads as unfinished. The
/// slot's first store creates the file; a store cuts it back when an earlier, larger
/// checkpoint would leave more than ``CheckpointFileHeader/allowedStaleTail(checkpointBytes:)``
/// behind. A failed write removes the file (its old content belonged to a released slot).
///
/// No rename is needed for the "never read half a checkpoint" guarantee: readers only see
/// the file through the store, which reads a slot only after its write completed, and
/// anyone else (a crash, a concurrent damage) finds a blank header or a checksum that does
/// not match. With ``syncEveryCheckpoint`` the payload reaches the device before the header
/// that vouches for it, and the header before the store is done.
///
/// **Reading** refuses, as ``CheckpointStoreError/corrupt(step:slot:reason:)``, a file that
/// is missing, not a regular file, foreign, unfinished, stale (another run, step or slot),
/// of another codec or state size, truncated, extended, or whose payload checksum does not
/// match; an operating-system failure is ``CheckpointStoreError/readFailed(path:reason:)``.
///
/// Neither direction takes a lock: the slot table guarantees that one file is written or
/// read by one thread at a time.
struct CheckpointFileFormat: Sendable {
    /// Where the slot files are.
    let directory: CheckpointDirectory
    /// The store's random identifier, written into every header; a file with another is stale.
    let runID: UInt64
    /// How payloads are encoded.
    let codec: CheckpointCodec
    /// Whether each payload, then each header, is flushed to the device (`fdatasync`).
    let syncEveryCheckpoint: Bool
    /// Direct I/O for large states, `nil` when the codec compresses or the build does not
    /// know `O_DIRECT` (``CheckpointDirectIO``).
    let directIO: CheckpointDirectIO?

    /// Writes the state in `buffer` (x[step]) into `slot`'s file: with direct I/O when
    /// ``directIO`` takes the buffer and the filesystem has not refused it, otherwise
    /// through ``write(_:step:slot:compressor:)``. The file's contents are the same.
    func write(_ buffer: ByteBuffer, step: Int, slot: Int, compressor: CheckpointCompressor) -> CheckpointFileTransfer {
        if let directIO, !directIO.isRefused, directIO.fits(buffer),
            let transfer = writeDirect(buffer, step: step, slot: slot, directIO: directIO)
        {
            return transfer
        }
        return write(buffer.bytes, step: step, slot: slot, compressor: compressor)
    }

    /// Reads x[step] from `slot`'s file into `buffer`: with direct I/O when ``directIO``
    /// takes the buffer and the filesystem has not refused it, otherwise through
    /// ``read(step:slot:into:decompressor:)``. The same checks either way.
    func read(step: Int, slot: Int, into buffer: ByteBuffer, decompressor: CheckpointDecompressor) -> CheckpointFileTransfer {
        if let directIO, !directIO.isRefused, directIO.fits(buffer),
            let transfer = readDirect(step: step, slot: slot, into: buffer, directIO: directIO)
        {
            return transfer
        }
        return read(step: step, slot: slot, into: buffer.mutableBytes, decompressor: decompressor)
    }

    /// Encodes `state` (x[step]) into `slot`'s file.
    ///
    /// - Complexity: O(`state.count`); besides the payload's writes, `openat`, the blank
    ///   header's `write`, `fstat`, the header's `pwrite` and `close`, an `ftruncate` when the
    ///   file shrinks a lot, and two `fdatasync` with ``syncEveryCheckpoint``.
    func write(_ state: UnsafeRawBufferPointer, step: Int, slot: Int, compressor: CheckpointCompressor) -> CheckpointFileTransfer {
        // The path is spelled out only for an error: building it costs as much as a store's
        // bookkeeping.
        func path() -> String { directory.path(slot: slot) }
        let bytesNeeded = CheckpointFileHeader.size + codec.maxEncodedCount(rawCount: state.count)
        /// A failed system call, as the error this write throws.
        func failure(_ call: String?, _ error: any Error) -> CheckpointStoreError {
            .writeFailed(path: path(), bytesNeeded: bytesNeeded, reason: (call.map { "\($0): " } ?? "") + Errno.describing(error))
        }
        /// Runs one system call, naming it in the error.
        @discardableResult
        func calling<T>(_ call: String, _ body: () throws -> T) throws(CheckpointStoreError) -> T {
            do { return try body() } catch { throw failure(call, error) }
        }

        var transfer = CheckpointFileTransfer(isWrite: true)
        let start = monotonicSeconds()
        let file: FileDescriptor
        do {
            file = try directory.openSlotFileForWriting(slot)
        } catch {
            transfer.result = .failure(failure(nil, error))
            return transfer
        }
        var ioSeconds = 0.0
        var finishing = start  // when the payload was out: fstat … close count as I/O
        do {
            try file.closeAfter {
                try file.writeCompletely(CheckpointFileHeader.blank, path: path(), bytesNeeded: bytesNeeded)
                var hasher = XXH64()
                var payload = 0
                try compressor.compress(state) { (chunk) throws(CheckpointStoreError) in
                    hasher.update(chunk)
                    payload += chunk.count
                    let t = monotonicSeconds()
                    defer { ioSeconds += monotonicSeconds() - t }
                    try file.writeCompletely(chunk, path: path(), bytesNeeded: bytesNeeded)
                }
                finishing = monotonicSeconds()
                let checkpointBytes = CheckpointFileHeader.size + payload
                var fileLength = Int(try calling("fstat") { try file.stat().size })
                if fileLength - checkpointBytes > CheckpointFileHeader.allowedStaleTail(checkpointBytes: checkpointBytes) {
                    try calling("ftruncate") { try file.resize(to: Int64(checkpointBytes)) }
                    fileLength = checkpointBytes
                }
                if syncEveryCheckpoint { try calling("fdatasync of the payload") { try file.synchronizeData() } }
                let header = CheckpointFileHeader(
                    runID: runID, step: step, slot: slot, rawSize: state.count, payloadSize: payload,
                    codecCode: codec.headerCode, payloadChecksum: hasher.digest())
                // One `pwrite`: swift-system's `writeAll(toAbsoluteOffset:)` is generic and runs
                // unspecialised from another module, which cost 0.25 µs a store.
                let written = try calling("header") { try header.encoded().withUnsafeBytes { try file.write(toAbsoluteOffset: 0, $0) } }
                guard written == CheckpointFileHeader.size else {
                    throw CheckpointStoreError.writeFailed(
                        path: path(), bytesNeeded: bytesNeeded, reason: "header: short write (\(written) of \(CheckpointFileHeader.size) bytes)")
                }
                if syncEveryCheckpoint { try calling("fdatasync of the header") { try file.synchronizeData() } }
                transfer.encodedBytes = payload
                transfer.rawBytes = state.count
                transfer.fileLength = fileLength
            }
            ioSeconds += monotonicSeconds() - finishing
            transfer.result = .success(CheckpointFileHeader.size + transfer.encodedBytes)
        } catch {
            // After a failed write `closeAfter` has closed the file; only a failed close
            // itself arrives here as an `Errno`.
            transfer.result = .failure(error as? CheckpointStoreError ?? failure("close", error))
            directory.removeSlotFile(slot)
        }
        transfer.ioSeconds = ioSeconds
        transfer.codecSeconds = monotonicSeconds() - start - ioSeconds
        return transfer
    }

    /// Reads, checks and decodes `slot`'s file, which should hold x[step], into `state`
    /// (whose count is the state's size in bytes).
    ///
    /// - Complexity: O(`state.count`).
    func read(step: Int, slot: Int, into state: UnsafeMutableRawBufferPointer, decompressor: CheckpointDecompressor) -> CheckpointFileTransfer {
        var transfer = CheckpointFileTransfer(isWrite: false)
        let start = monotonicSeconds()
        do throws(CheckpointStoreError) {
            transfer.result = .success(try readChecked(step: step, slot: slot, into: state, decompressor: decompressor, ioSeconds: &transfer.ioSeconds))
        } catch {
            transfer.result = .failure(error)
        }
        transfer.codecSeconds = monotonicSeconds() - start - transfer.ioSeconds
        return transfer
    }

    /// ``read(step:slot:into:decompressor:)``'s work; returns the checkpoint's bytes in the
    /// file and adds the time spent in the payload's `read` calls to `ioSeconds`.
    private func readChecked(
        step: Int, slot: Int, into state: UnsafeMutableRawBufferPointer, decompressor: CheckpointDecompressor, ioSeconds: inout Double
    ) throws(CheckpointStoreError) -> Int {
        func path() -> String { directory.path(slot: slot) }
        func corrupt(_ reason: String) -> CheckpointStoreError { .corrupt(step: step, slot: slot, reason: "\(reason) in \(path())") }
        let file: FileDescriptor
        do {
            file = try directory.openSlotFileForReading(slot)
        } catch {
            throw error == .noSuchFileOrDirectory || error == .tooManySymbolicLinkLevels
                ? corrupt("the checkpoint file is missing or not a regular file: \(error.symbolAndMessage)")
                : .readFailed(path: path(), reason: error.symbolAndMessage)
        }
        defer { try? file.close() }  // read-only: a failed close loses nothing
        guard let info = try? file.stat(), info.type == .regular else { throw corrupt("not a regular file") }

        var headerBytes = [UInt8](repeating: 0, count: CheckpointFileHeader.size)
        let got = headerBytes.withUnsafeMutableBytes { file.readFully(into: $0) }
        if let error = got.error { throw .readFailed(path: path(), reason: error.symbolAndMessage) }
        let header: CheckpointFileHeader
        switch headerBytes[0 ..< got.count].withUnsafeBytes({ CheckpointFileHeader.decode($0) }) {
        case let .failure(problem): throw corrupt(problem.reason)
        case let .success(value): header = value
        }
        let checkpointBytes = CheckpointFileHeader.size + header.payloadSize
        if let problem = mismatch(of: header, step: step, slot: slot, rawCount: state.count, fileSize: Int(info.size)) {
            throw corrupt(problem)
        }

        var hasher = XXH64()
        var remaining = header.payloadSize
        var readError: Errno?
        do throws(CheckpointCodingError) {
            try decompressor.decompress(into: state) { destination in
                let want = Swift.min(destination.count, remaining)
                guard want > 0, readError == nil else { return 0 }
                let t = monotonicSeconds()
                let result = file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: destination[0 ..< want]))
                ioSeconds += monotonicSeconds() - t
                readError = result.error
                hasher.update(UnsafeRawBufferPointer(rebasing: destination[0 ..< result.count]))
                remaining -= result.count
                return result.count
            }
        } catch {
            if let readError { throw .readFailed(path: path(), reason: readError.symbolAndMessage) }
            throw corrupt(hasher.digest() == header.payloadChecksum ? error.reason : "the payload checksum does not match (\(error.reason))")
        }
        guard hasher.digest() == header.payloadChecksum else { throw corrupt("the payload checksum does not match") }
        return checkpointBytes
    }

    /// Why a well-formed `header` does not vouch for x[step] of `slot` in a file of
    /// `fileSize` bytes written by this store; `nil` when it does.
    func mismatch(of header: CheckpointFileHeader, step: Int, slot: Int, rawCount: Int, fileSize: Int) -> String? {
        let checkpointBytes = CheckpointFileHeader.size + header.payloadSize
        if header.runID != runID {
            return "the file was written by another run (stale)"
        } else if header.step != step || header.slot != slot {
            return "the file holds x\(header.step) of slot \(header.slot) (stale)"
        } else if header.codecCode != codec.headerCode {
            return "the file was written with another codec"
        } else if header.rawSize != rawCount {
            return "the file holds \(header.rawSize) state bytes, expected \(rawCount)"
        } else if fileSize < checkpointBytes {
            return "the file has \(fileSize) bytes, its header says \(checkpointBytes) (truncated)"
        } else if fileSize - checkpointBytes > CheckpointFileHeader.allowedStaleTail(checkpointBytes: checkpointBytes) {
            return "the file has \(fileSize) bytes, more than its header's \(checkpointBytes) and the tail a store may leave (extended)"
        }
        return nil
    }
}

/// What one write or read of a checkpoint file did: its result, the codec's share and the
/// system calls' share of the time. The store's statistics and slot table are updated
/// from it (``CheckpointIOStatistics/count(_:)``).
struct CheckpointFileTransfer {
    /// Whether a checkpoint was written (otherwise read).
    var isWrite: Bool
    /// The checkpoint's bytes in its file (header included), or why the transfer failed.
    var result: Result<Int, CheckpointStoreError> = .success(0)
    /// Payload bytes the codec produced (writes).
    var encodedBytes = 0
    /// State bytes the codec took (writes).
    var rawBytes = 0
    /// Seconds of encoding or decoding.
    var codecSeconds = 0.0
    /// Seconds in system calls.
    var ioSeconds = 0.0
    /// A write's slot file length afterwards (the checkpoint and any stale tail).
    var fileLength = 0
    /// Whether the bytes moved with direct I/O (``CheckpointDirectIO``), not through the
    /// page cache.
    var isDirect = false

    /// ``encodedBytes`` of a write that succeeded; `nil` after a failure.
    var storedBytes: Int? {
        if case .success = result { encodedBytes } else { nil }
    }
}
