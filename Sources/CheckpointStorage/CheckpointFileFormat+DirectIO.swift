import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// The direct-I/O halves of ``CheckpointFileFormat``: the same file, the same order of
/// writes and the same checks, moved from and to the buffer's file image
/// (``CheckpointDirectIO``) with `O_DIRECT`.
extension CheckpointFileFormat {
    /// Writes the identity-coded state in `buffer` into `slot`'s file with direct I/O:
    /// the image with a blank header first (header, payload, zero padding to a whole block,
    /// one `pwrite` from offset 0), then the valid header (the first block again). Returns
    /// `nil`, having written nothing and turned direct I/O off, when the filesystem refuses
    /// it (`EINVAL` at `open` or at the first `pwrite`).
    ///
    /// - Complexity: O(state bytes) for the checksum; no copy of the state.
    func writeDirect(_ buffer: ByteBuffer, step: Int, slot: Int, directIO: CheckpointDirectIO) -> CheckpointFileTransfer? {
        func path() -> String { directory.path(slot: slot) }
        let rawCount = buffer.count
        let checkpointBytes = CheckpointFileHeader.size + rawCount
        let image = buffer.allocation
        let length = directIO.padded(checkpointBytes)
        func failure(_ call: String, _ reason: String) -> CheckpointStoreError {
            .writeFailed(path: path(), bytesNeeded: length, reason: "\(call): \(reason)")
        }

        var transfer = CheckpointFileTransfer(isWrite: true)
        transfer.isDirect = true
        let start = monotonicSeconds()
        let base = image.baseAddress!
        base.initializeMemory(as: UInt8.self, repeating: 0, count: CheckpointFileHeader.size)
        (base + checkpointBytes).initializeMemory(as: UInt8.self, repeating: 0, count: length - checkpointBytes)
        let checksum = XXH64.hash(buffer.bytes)
        let ioStart = monotonicSeconds()
        transfer.codecSeconds = ioStart - start

        let file: FileDescriptor
        do {
            file = try directory.openSlotFileForWriting(slot, extraFlags: CheckpointDirectIO.openFlag ?? 0)
        } catch {
            if error == .invalidArgument {
                directIO.refuse()
                return nil
            }
            transfer.result = .failure(failure("open", error.symbolAndMessage))
            transfer.ioSeconds = monotonicSeconds() - ioStart
            return transfer
        }
        let payload = file.writeFully(UnsafeRawBufferPointer(rebasing: image[0 ..< length]), atOffset: 0)
        if payload.error == .invalidArgument && payload.count == 0 {
            try? file.close()
            directIO.refuse()
            return nil
        }
        do throws(CheckpointStoreError) {
            try finishDirectWrite(
                file, payload: payload, image: image, length: length, headerBlock: Swift.min(length, directIO.alignment),
                step: step, slot: slot, rawCount: rawCount, checksum: checksum, transfer: &transfer, failure: failure)
            transfer.result = .success(checkpointBytes)
        } catch {
            transfer.result = .failure(error)
            directory.removeSlotFile(slot)
        }
        transfer.ioSeconds = monotonicSeconds() - ioStart
        return transfer
    }

    /// ``writeDirect(_:step:slot:directIO:)`` after the image's `pwrite`: its check, the
    /// stale tail, the header (the image's first `headerBlock` bytes again) and the
    /// `fdatasync`s; closes `file` whatever happens.
    private func finishDirectWrite(
        _ file: FileDescriptor, payload: (count: Int, error: Errno?), image: UnsafeMutableRawBufferPointer, length: Int, headerBlock: Int,
        step: Int, slot: Int, rawCount: Int, checksum: UInt64, transfer: inout CheckpointFileTransfer, failure: (String, String) -> CheckpointStoreError
    ) throws(CheckpointStoreError) {
        var closed = false
        defer { if !closed { try? file.close() } }
        if let error = payload.error {
            let short = payload.count > 0 ? "short write (\(payload.count) of \(length) bytes), then " : ""
            throw failure("payload", short + error.symbolAndMessage)
        }
        let checkpointBytes = CheckpointFileHeader.size + rawCount
        var fileLength: Int
        do { fileLength = Int(try file.stat().size) } catch { throw failure("fstat", Errno.describing(error)) }
        if fileLength - checkpointBytes > CheckpointFileHeader.allowedStaleTail(checkpointBytes: checkpointBytes) {
            do { try file.resize(to: Int64(checkpointBytes)) } catch { throw failure("ftruncate", Errno.describing(error)) }
            fileLength = checkpointBytes
        }
        if syncEveryCheckpoint {
            do { try file.synchronizeData() } catch { throw failure("fdatasync of the payload", error.symbolAndMessage) }
        }
        let header = CheckpointFileHeader(
            runID: runID, step: step, slot: slot, rawSize: rawCount, payloadSize: rawCount, codecCode: codec.headerCode,
            payloadChecksum: checksum)
        header.encoded().withUnsafeBytes { image.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: CheckpointFileHeader.size) }
        let written = file.writeFully(UnsafeRawBufferPointer(rebasing: image[0 ..< headerBlock]), atOffset: 0)
        if let error = written.error { throw failure("header", error.symbolAndMessage) }
        if syncEveryCheckpoint {
            do { try file.synchronizeData() } catch { throw failure("fdatasync of the header", error.symbolAndMessage) }
        }
        closed = true
        do { try file.close() } catch { throw failure("close", Errno.describing(error)) }
        transfer.encodedBytes = rawCount
        transfer.rawBytes = rawCount
        transfer.fileLength = fileLength
    }

    /// Reads `slot`'s file, which should hold x[step], into `buffer`'s image with direct
    /// I/O (one `pread` of the whole padded image) and checks it as
    /// ``read(step:slot:into:decompressor:)`` does; the state lands in place, with no
    /// decoding. Returns `nil`, having turned direct I/O off, when the filesystem refuses
    /// it (`EINVAL` at `open` or at the first `pread`).
    ///
    /// - Complexity: O(state bytes) for the checksum; no copy of the state.
    func readDirect(step: Int, slot: Int, into buffer: ByteBuffer, directIO: CheckpointDirectIO) -> CheckpointFileTransfer? {
        var transfer = CheckpointFileTransfer(isWrite: false)
        transfer.isDirect = true
        let start = monotonicSeconds()
        do throws(CheckpointStoreError) {
            guard let bytes = try readDirectChecked(step: step, slot: slot, into: buffer, directIO: directIO, ioSeconds: &transfer.ioSeconds) else {
                return nil
            }
            transfer.result = .success(bytes)
        } catch {
            transfer.result = .failure(error)
        }
        transfer.codecSeconds = monotonicSeconds() - start - transfer.ioSeconds
        return transfer
    }

    /// ``readDirect(step:slot:into:directIO:)``'s work: the checkpoint's bytes, or `nil`
    /// when the filesystem refuses direct I/O.
    private func readDirectChecked(
        step: Int, slot: Int, into buffer: ByteBuffer, directIO: CheckpointDirectIO, ioSeconds: inout Double
    ) throws(CheckpointStoreError) -> Int? {
        func path() -> String { directory.path(slot: slot) }
        func corrupt(_ reason: String) -> CheckpointStoreError { .corrupt(step: step, slot: slot, reason: "\(reason) in \(path())") }
        let rawCount = buffer.count
        let image = buffer.allocation
        let length = directIO.padded(CheckpointFileHeader.size + rawCount)
        let opened = monotonicSeconds()
        let file: FileDescriptor
        do {
            file = try directory.openSlotFileForReading(slot, extraFlags: CheckpointDirectIO.openFlag ?? 0)
        } catch {
            if error == .invalidArgument {
                directIO.refuse()
                return nil
            }
            throw error == .noSuchFileOrDirectory || error == .tooManySymbolicLinkLevels
                ? corrupt("the checkpoint file is missing or not a regular file: \(error.symbolAndMessage)")
                : .readFailed(path: path(), reason: error.symbolAndMessage)
        }
        defer { try? file.close() }  // read-only: a failed close loses nothing
        guard let info = try? file.stat(), info.type == .regular else { throw corrupt("not a regular file") }
        let got = file.readFully(into: UnsafeMutableRawBufferPointer(rebasing: image[0 ..< length]), atOffset: 0)
        ioSeconds += monotonicSeconds() - opened
        if got.error == .invalidArgument && got.count == 0 {
            directIO.refuse()
            return nil
        }
        if let error = got.error { throw .readFailed(path: path(), reason: error.symbolAndMessage) }

        let header: CheckpointFileHeader
        switch CheckpointFileHeader.decode(UnsafeRawBufferPointer(rebasing: image[0 ..< Swift.min(got.count, CheckpointFileHeader.size)])) {
        case let .failure(problem): throw corrupt(problem.reason)
        case let .success(value): header = value
        }
        if let problem = mismatch(of: header, step: step, slot: slot, rawCount: rawCount, fileSize: Int(info.size)) {
            throw corrupt(problem)
        }
        let checkpointBytes = CheckpointFileHeader.size + header.payloadSize
        guard header.payloadSize == rawCount else {
            throw corrupt("the header says \(header.payloadSize) payload bytes for a \(rawCount)-byte state stored as it is")
        }
        guard got.count >= checkpointBytes else {
            throw corrupt("the file ended after \(got.count) bytes, its header says \(checkpointBytes) (truncated)")
        }
        guard XXH64.hash(buffer.bytes) == header.payloadChecksum else { throw corrupt("the payload checksum does not match") }
        return checkpointBytes
    }
}
