// Helpers shared by the storage tests: a seeded generator and test fields.
import Foundation

/// Random bytes from a seed.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    return (0 ..< count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
}

/// A smooth float64 field, sin-based, as a simulation state would be.
func smoothField(_ count: Int) -> [Double] {
    (0 ..< count).map { i in sin(Double(i) * 0.001) + 0.5 * cos(Double(i) * 0.00037) }
}

#if canImport(Glibc)
import Glibc
import RewindTestSupport
#endif

/// A scratch directory for one test, removed (recursively) at the end.
final class ScratchDirectory {
    let path: String
    init() {
        var template = Array("/tmp/rewind-test-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The names in `directory` (empty if it does not exist).
    static func entries(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// The checkpoint files in a store's run directory: its entries but the owner record,
    /// which lives as long as the directory.
    static func slotFiles(_ directory: String) -> [String] {
        entries(directory).filter { $0 != "owner" }
    }
}

/// A tmpfs of `kilobytes` mounted on a fresh directory, when the process may mount (root in
/// a container that allows it). Unmounted at the end.
final class TinyFilesystem {
    let path: String
    private let scratch = ScratchDirectory()
    init?(kilobytes: Int, readOnly: Bool = false) {
        path = scratch.path
        guard mount("tmpfs", path, "tmpfs", readOnly ? 1 : 0, "size=\(kilobytes)k,mode=0755") == 0 else { return nil }
    }
    deinit { umount2(path, 2 /* MNT_DETACH */) }

    /// Remounts the filesystem read-only: even descriptors opened before fail to write.
    func remountReadOnly() -> Bool {
        mount("tmpfs", path, "tmpfs", 32 | 1 /* MS_REMOUNT | MS_RDONLY */, nil) == 0
    }

    static let available: Bool = TinyFilesystem(kilobytes: 4) != nil
}

/// Whether /dev/full is the kernel's full device (a character device that fails every
/// write with ENOSPC); on some machines it is a plain file that accepts writes.
let devFullIsTheFullDevice: Bool = {
    var status = stat()
    return stat("/dev/full", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR
}()

