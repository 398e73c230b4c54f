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
/// chosen parent, or under `$TMPDIR` or `/tmp`, and writes the owner record
/// (``CheckpointRunOwner``) into its `owner` file, so that a later run can reap it if this
/// process dies without cleaning up (``CheckpointRunDirectory``). Before the first
/// directory under a parent, a process reaps that parent's stale run directories once. The
/// directory stays open for the store's life, and every slot file, `slot-N.ckpt`, is opened,
/// removed and listed relative to that descriptor with `O_NOFOLLOW`, so no symbolic link is
/// ever followed. ``remove()`` empties and removes it when the store is released.
///
/// Immutable once made: the caller's thread and the I/O thread share one value.
struct CheckpointDirectory: Sendable {
    /// The directory's path, `<parent>/rewind-XXXXXX`.
    let path: String
    /// The open directory, for `openat`, `unlinkat` and listing.
    let descriptor: FileDescriptor

    /// Creates and opens a private directory under `parent` (`nil`: `$TMPDIR`, else `/tmp`).
    ///
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` naming the parent and why
    ///   (`ENOENT`, `ENOTDIR`, `EACCES`, `EROFS`, …).
    init(under parent: String?) throws(CheckpointStoreError) {
        let base = FileSystemSpace.checkpointParent(parent)
        CheckpointRunDirectory.reapStaleOnce(in: base)
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array((Self.namePrefix + "XXXXXX").utf8CString)
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
        do {
            let owner = try FileDescriptor.open(
                Self.ownerFileName, in: descriptor, .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
                permissions: [.ownerReadWrite])
            defer { try? owner.close() }
            let record = Array(CheckpointRunOwner.current.recordText.utf8)
            guard try record.withUnsafeBytes({ try owner.write($0) }) == record.count else { throw Errno.noSpace }
        } catch {
            unlinkat(descriptor.rawValue, Self.ownerFileName, 0)
            try? descriptor.close()
            rmdir(path)
            throw .unavailable(reason: "cannot write the owner record in \(path): \(Errno.describing(error)); choose a writable directory with free space")
        }
    }

    /// The start of every run directory's name: `rewind-XXXXXX`.
    static let namePrefix = "rewind-"
    /// The name of the owner record inside a run directory.
    static let ownerFileName = "owner"

    /// Whether `name` is an entry a file store writes in its directory: the owner record or
    /// a slot file `slot-N.ckpt`.
    static func isStoreEntry(_ name: String) -> Bool {
        if name == ownerFileName { return true }
        guard name.hasPrefix("slot-"), name.hasSuffix(".ckpt") else { return false }
        let number = name.dropFirst("slot-".count).dropLast(".ckpt".count)
        return !number.isEmpty && number.allSatisfy(\.isASCII) && Int(number) != nil && !number.hasPrefix("-")
    }

    /// The name of `slot`'s file inside the directory.
    static func fileName(slot: Int) -> String { "slot-\(slot).ckpt" }

    /// The path of `slot`'s file.
    func path(slot: Int) -> String { "\(path)/\(Self.fileName(slot: slot))" }

    /// Opens `slot`'s file for overwriting in place, creating it (mode 0600) on the slot's
    /// first store; `extraFlags` adds `open` flags (`O_DIRECT`).
    func openSlotFileForWriting(_ slot: Int, extraFlags: Int32 = 0) throws(Errno) -> FileDescriptor {
        try FileDescriptor.open(
            Self.fileName(slot: slot), in: descriptor, .writeOnly,
            options: [.create, .noFollow, .closeOnExec, FileDescriptor.OpenOptions(rawValue: extraFlags)], permissions: [.ownerReadWrite])
    }

    /// Opens `slot`'s file for reading; `ELOOP` when it is a symbolic link, `ENOENT` when
    /// it is missing; `extraFlags` adds `open` flags (`O_DIRECT`).
    func openSlotFileForReading(_ slot: Int, extraFlags: Int32 = 0) throws(Errno) -> FileDescriptor {
        try FileDescriptor.open(
            Self.fileName(slot: slot), in: descriptor, .readOnly, options: [.noFollow, .closeOnExec, FileDescriptor.OpenOptions(rawValue: extraFlags)])
    }

    /// Removes `slot`'s file, if there is one.
    func removeSlotFile(_ slot: Int) {
        unlinkat(descriptor.rawValue, Self.fileName(slot: slot), 0)
    }

    /// Unlinks every entry of the directory (ours by construction: mode 0700) but the owner
    /// record, which stays until ``remove()``.
    ///
    /// - Complexity: O(entries).
    func removeEveryFile() {
        for name in CheckpointRunDirectory.names(in: descriptor) where name != Self.ownerFileName {
            unlinkat(descriptor.rawValue, name, 0)
        }
    }

    /// Closes the directory and removes it, once ``removeEveryFile()`` has emptied it and no
    /// thread uses it any more.
    func remove() {
        unlinkat(descriptor.rawValue, Self.ownerFileName, 0)
        try? descriptor.close()
        rmdir(path)
    }
}
