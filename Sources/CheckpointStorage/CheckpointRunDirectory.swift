import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file store's run directory found under a checkpoint root, with its owner and whether
/// that owner still runs: what `rewind clean` lists, and what a new run reaps when the
/// owner is gone.
///
/// ```swift
/// for run in try CheckpointRunDirectory.scan(root: nil) where run.isStale {   // $TMPDIR or /tmp
///     print(run.path, run.files, run.bytes)
///     try run.remove()
/// }
/// ```
///
/// **Only Rewind's own.** A directory is listed only if it sits directly in the root, is
/// named `rewind-…`, is a real directory (not a symbolic link) owned by this user, and holds
/// a well-formed owner record (``CheckpointRunOwner``). ``remove(observer:)`` deletes only
/// the entries a file store writes (`owner` and `slot-N.ckpt`, regular files), always
/// relative to the opened directory and without following links, and refuses a directory
/// that holds anything else. A directory whose owner runs, or whose owner cannot be checked
/// from here (another host or container), is never removed.
public struct CheckpointRunDirectory: Hashable, Sendable {
    /// `<root>/rewind-XXXXXX`.
    public var path: String
    /// The process that made it.
    public var owner: CheckpointRunOwner
    /// Whether the owner runs, as judged when the directory was scanned.
    public var liveness: CheckpointRunOwner.Liveness
    /// Slot files in it.
    public var files: Int
    /// Bytes of those files.
    public var bytes: Int

    /// Whether the owner is known to have ended, so the directory may be removed.
    public var isStale: Bool {
        if case .gone = liveness { return true }
        return false
    }

    /// The run directories under `root` (`nil`: `$TMPDIR`, else `/tmp`), sorted by path.
    ///
    /// - Parameters:
    ///   - root: the directory whose `rewind-…` entries are listed; `nil` for the default.
    ///   - observer: the process judging liveness (tests pass another).
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` when the root cannot be listed.
    /// - Complexity: O(entries of the root + files of each run directory).
    public static func scan(root: String?, observer: CheckpointRunOwner = .current) throws(CheckpointStoreError) -> [CheckpointRunDirectory] {
        let base = FileSystemSpace.checkpointParent(root)
        let rootDescriptor: FileDescriptor
        do {
            rootDescriptor = try FileDescriptor.open(base, .readOnly, options: [.directory, .closeOnExec])
        } catch {
            throw .unavailable(reason: "cannot list the checkpoint root \(base): \(Errno.describing(error)); pass an existing directory")
        }
        defer { try? rootDescriptor.close() }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return names(in: rootDescriptor).filter { $0.hasPrefix(CheckpointDirectory.namePrefix) }.sorted().compactMap { name in
            inspect(name, in: rootDescriptor, path: prefix + name, observer: observer)
        }
    }

    /// Removes the directory if it is still stale and holds only a file store's entries.
    ///
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` when its owner is not known to
    ///   have ended, or it holds an entry a file store does not write (then nothing is removed).
    /// - Complexity: O(files).
    public func remove(observer: CheckpointRunOwner = .current) throws(CheckpointStoreError) {
        guard isStale else { throw .unavailable(reason: "\(path) belongs to a run that may still be going; it was not removed") }
        let directory: FileDescriptor
        do {
            directory = try FileDescriptor.open(path, .readOnly, options: [.directory, .noFollow, .closeOnExec])
        } catch Errno.noSuchFileOrDirectory {
            return  // another reaper was first
        } catch {
            throw .unavailable(reason: "cannot open \(path): \(Errno.describing(error))")
        }
        defer { try? directory.close() }
        // Check again, through the opened directory: the record must still name a gone owner.
        guard let record = Self.readOwner(in: directory), case .gone = record.liveness(comparedWith: observer) else {
            throw .unavailable(reason: "\(path) no longer holds the stale owner record it had; it was not removed")
        }
        let names = Self.names(in: directory)
        if let foreign = names.first(where: { !CheckpointDirectory.isStoreEntry($0) || !Self.isRegularFile($0, in: directory) }) {
            throw .unavailable(reason: "\(path) holds '\(foreign)', which Rewind did not write; remove it by hand if it is not needed")
        }
        // The owner record goes last, so an interrupted removal leaves a directory that is still recognisable.
        for name in names where name != CheckpointDirectory.ownerFileName { unlinkat(directory.rawValue, name, 0) }
        unlinkat(directory.rawValue, CheckpointDirectory.ownerFileName, 0)
        if rmdir(path) != 0 && errno != ENOENT {
            throw .unavailable(reason: "cannot remove \(path): \(Errno.latest.symbolAndMessage)")
        }
    }

    // MARK: Helpers

    /// The run directory `name` in `root`, or `nil` when it is not one of Rewind's.
    static func inspect(_ name: String, in root: FileDescriptor, path: String, observer: CheckpointRunOwner) -> CheckpointRunDirectory? {
        var info = stat()
        guard fstatat(root.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
            let directory = try? FileDescriptor.open(name, in: root, .readOnly, options: [.directory, .noFollow, .closeOnExec])
        else { return nil }
        defer { try? directory.close() }
        guard let owner = readOwner(in: directory) else { return nil }
        var files = 0
        var bytes = 0
        for entry in names(in: directory) where entry != CheckpointDirectory.ownerFileName {
            var fileInfo = stat()
            guard fstatat(directory.rawValue, entry, &fileInfo, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            files += 1
            bytes += Int(fileInfo.st_size)
        }
        return CheckpointRunDirectory(path: path, owner: owner, liveness: owner.liveness(comparedWith: observer), files: files, bytes: bytes)
    }

    /// The owner record in an opened run directory, or `nil` when missing or malformed.
    static func readOwner(in directory: FileDescriptor) -> CheckpointRunOwner? {
        guard let file = try? FileDescriptor.open(CheckpointDirectory.ownerFileName, in: directory, .readOnly, options: [.noFollow, .closeOnExec])
        else { return nil }
        defer { try? file.close() }
        var bytes = [UInt8](repeating: 0, count: 1024)
        let got = bytes.withUnsafeMutableBytes { file.readFully(into: $0) }
        guard got.error == nil else { return nil }
        return try? CheckpointRunOwner(recordText: String(decoding: bytes[..<got.count], as: UTF8.self))
    }

    static func isRegularFile(_ name: String, in directory: FileDescriptor) -> Bool {
        var info = stat()
        return fstatat(directory.rawValue, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// The entries of an opened directory, `.` and `..` excluded.
    static func names(in directory: FileDescriptor) -> [String] {
        guard let listing = try? directory.duplicate() else { return [] }
        guard let stream = fdopendir(listing.rawValue) else {
            try? listing.close()
            return []
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
