import Foundation
import ScheduleInspector
import Testing

/// Checked writes: what arrives is what was written, and every failure names the errno.
@Suite struct OutputFileTests {
    /// One directory per test: the suite's tests run in parallel, and each removes its own.
    let directory = NSTemporaryDirectory() + "rewind-output-file-\(getpid())-\(UUID().uuidString)"

    init() throws { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }

    @Test func aFileIsWrittenWholeAndReplacedAtomically() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/a.svg"
        try OutputFile.write("first", toPath: path)
        try OutputFile.write(String(repeating: "é", count: 100_000), toPath: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == String(repeating: "é", count: 100_000))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["a.svg"], "no temporary file is left")
    }

    @Test func aDirectoryIsNamedWithTheFix() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: InspectorError.cannotWrite(path: directory, reason: "it is a directory (EISDIR); pass a file path inside it, such as \(directory)/plot.svg")) {
            try OutputFile.write("x", toPath: directory, exampleName: "plot.svg")
        }
    }

    @Test func aMissingDirectoryIsENOENT() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: InspectorError.cannotWrite(path: directory + "/no/x.svg",
                                                  reason: "no such file or directory (ENOENT); create the directory first or choose an existing one")) {
            try OutputFile.write("x", toPath: directory + "/no/x.svg")
        }
    }

    @Test(.enabled(if: devFullIsTheFullDevice, "needs /dev/full to be the character device that fails writes with ENOSPC"))
    func aFullDeviceIsENOSPC() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect {
            try OutputFile.write("<svg/>", toPath: "/dev/full")
        } throws: { error in
            "\(error)" == "cannot write /dev/full: no space left on device (ENOSPC); free some space or write to another filesystem"
        }
    }
}
