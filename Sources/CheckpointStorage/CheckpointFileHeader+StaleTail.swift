extension CheckpointFileHeader {
    /// The most bytes a slot file may hold past its checkpoint: what an earlier, larger
    /// checkpoint of the same slot left behind. A store overwrites a slot's file in place and
    /// cuts it back (`ftruncate`) only when the tail would be longer than this, so that states
    /// whose encoded size wobbles (compressed ones) cost no extra system call per store, while
    /// a slot that once held a much larger state does not keep its disk space.
    ///
    /// The bound is one 4 KiB page or an eighth of the checkpoint, whichever is larger; a
    /// reader refuses a file whose tail is longer (*extended*): no store of this format
    /// leaves one.
    ///
    /// - Parameter checkpointBytes: header plus payload bytes of the checkpoint in the file.
    /// - Complexity: O(1).
    static func allowedStaleTail(checkpointBytes: Int) -> Int {
        Swift.max(4096, checkpointBytes / 8)
    }
}
