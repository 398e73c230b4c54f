import Foundation
import Glibc
import Testing

/// Whether a non-root user can be impersonated: running as root, with `setpriv` and the
/// `nobody` user (65534) present.
let canRunAsNobody: Bool = {
    guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), getpwnam("nobody") != nil,
          let help = try? RewindProcess(["--help"], prefix: nobody) else { return false }
    // The build directory must be reachable for nobody, or nothing runs at all.
    return help.wait().status == 0
}()

/// `setpriv` arguments that run a command as nobody (65534) with no supplementary groups.
let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

/// A checkpoint root the user cannot write: the run is refused with a typed error naming
/// the directory and EACCES, and leaves nothing.
@Suite(.enabled(if: canRunAsNobody && RewindProcess.binary != nil,
                "needs root, /usr/bin/setpriv, the user nobody and a build directory nobody may read, to run rewind as a non-root user"))
struct AccessFaultTests {
    @Test func anUnwritableRootIsATypedEACCES() throws {
        let root = CheckpointRoot()
        chmod(root.path, 0o755)  // owned by root: nobody may enter, not write
        let run = try RewindProcess(
            ["demo", "--steps", "20000", "--memory", "64KB", "--disk", "2MB", "--checkpoint-dir", root.path],
            prefix: nobody).wait()
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains(root.path) && run.stderr.contains("EACCES"), "\(run.stderr)")
        #expect(!run.stderr.contains("\n") || run.stderr.split(separator: "\n").count == 1)
        #expect(root.leftovers.isEmpty, "\(root.leftovers)")
    }
}
