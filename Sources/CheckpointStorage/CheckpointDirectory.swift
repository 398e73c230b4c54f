import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file store's private run directory, from creation to removal.
///
/// `mkdtemp` creates it as `rewind-XXXXXX` (mode 0700, a name no one else has) under the
/// chosen parent, or under `$TMPDIR` or `/tmp`. The directory stays open for the store's
/// life, and every slot file, `slot-N.ckpt`, is opened, removed and listed relative to that
/// descriptor with `O_NOFOLLOW`, so no symbolic link is ever followed. ``remove()`` empties
/// and removes it when the store is released.
///
/// Immutable once made: the caller's thread and the I/O thread share one value.
struct CheckpointDirectory: Sendable {
    /// The directory's path, `<parent>/rewind-XXXXXX`.
    let path: String
    /// The open directory, for `openat`, `unlinkat` and listing.
    private let descriptor: FileDescriptor

    /// Creates and opens a private directory under `parent` (`nil`: `$TMPDIR`, else `/tmp`).
    ///
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` naming the parent and why
    ///   (`ENOENT`, `ENOTDIR`, `EACCES`, `EROFS`, …).
    init(under parent: String?) throws(CheckpointStoreError) {
        let base = FileSystemSpace.checkpointParent(parent)
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("rewind-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .unavailable(
                reason: "cannot create a private checkpoint directory under \(base): \(Errno.latest.symbolAndMessage); choose a writable directory")
        }
        let path = String(cString: made)
        do {
            descriptor = try FileDescriptor.open(path, .readOnly, options: [.directory, .noFollow, .closeOnExec])
        } catch {
            rmdir(path)
            throw .unavailable(reason: "cannot open the checkpoint directory \(path): \(Errno.describing(error))")
        }
        self.path = path
    }

    /// The name of `slot`'s file inside the directory.
    static func fileName(slot: Int) -> String { "slot-\(slot).ckpt" }

    /// The path of `slot`'s file.
    func path(slot: Int) -> String { "\(path)/\(Self.fileName(slot: slot))" }

    /// Opens `slot`'s file for overwriting in place, creating it (mode 0600) on the slot's
    /// first store.
    func openSlotFileForWriting(_ slot: Int) throws(Errno) -> FileDescriptor {
        try FileDescriptor.open(
            Self.fileName(slot: slot), in: descriptor, .writeOnly, options: [.create, .noFollow, .closeOnExec],
            permissions: [.ownerReadWrite])
    }

    /// Opens `slot`'s file for reading; `ELOOP` when it is a symbolic link, `ENOENT` when
    /// it is missing.
    func openSlotFileForReading(_ slot: Int) throws(Errno) -> FileDescriptor {
        try FileDescriptor.open(Self.fileName(slot: slot), in: descriptor, .readOnly, options: [.noFollow, .closeOnExec])
    }

    /// Removes `slot`'s file, if there is one.
    func removeSlotFile(_ slot: Int) {
        unlinkat(descriptor.rawValue, Self.fileName(slot: slot), 0)
    }

    /// Unlinks every entry of the directory (ours by construction: mode 0700).
    ///
    /// - Complexity: O(entries).
    func removeEveryFile() {
        guard let listing = try? descriptor.duplicate() else { return }
        guard let stream = fdopendir(listing.rawValue) else {
            try? listing.close()
            return
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        for name in names { unlinkat(descriptor.rawValue, name, 0) }
    }

    /// Closes the directory and removes it, once ``removeEveryFile()`` has emptied it and no
    /// thread uses it any more.
    func remove() {
        try? descriptor.close()
        rmdir(path)
    }
}
