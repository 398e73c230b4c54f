extension CheckpointIOStatistics {
    /// Adds a file write's or read's bytes and times; a failed transfer adds nothing.
    ///
    /// - Complexity: O(1).
    mutating func count(_ transfer: CheckpointFileTransfer) {
        guard case let .success(fileBytes) = transfer.result else { return }
        if transfer.isWrite {
            bytesWritten += fileBytes
            encodedBytesStored += transfer.encodedBytes
            rawBytesEncoded += transfer.rawBytes
            encodeSeconds += transfer.codecSeconds
            writeSeconds += transfer.ioSeconds
            if transfer.isDirect { directWrites += 1 }
        } else {
            bytesRead += fileBytes
            decodeSeconds += transfer.codecSeconds
            readSeconds += transfer.ioSeconds
            if transfer.isDirect { directReads += 1 }
        }
    }
}
