import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process that owns a run's checkpoint directory, recorded in the directory so that a
/// later run can tell a live run from one that ended without cleaning up (`SIGKILL`, power
/// loss, a crash).
///
/// ```swift
/// let me = CheckpointRunOwner.current
/// let record = me.recordText                        // what goes into the owner file
/// let owner = try CheckpointRunOwner(recordText: record)
/// owner.liveness(comparedWith: me)                  // .alive
/// ```
///
/// A process ID alone is not an identity: IDs are reused. The record also holds the
/// process's start time (field 22 of `/proc/<pid>/stat`, clock ticks since boot), the
/// kernel's boot ID (`/proc/sys/kernel/random/boot_id`, new at every boot), the host name
/// and the PID namespace (`/proc/self/ns/pid`). An owner is **gone** when, on the same host
/// and in the same PID namespace, it was recorded in an earlier boot, or no process has its
/// ID, or the process with its ID started at another time. An owner on another host or in
/// another PID namespace (a shared or network file system, another container) cannot be
/// checked from here and counts as **unknown**: never reaped.
public struct CheckpointRunOwner: Hashable, Sendable {
    /// The owner's process ID.
    public var processID: Int32
    /// The owner's start time in clock ticks since boot (0 where `/proc` is missing).
    public var startTime: UInt64
    /// The kernel's boot ID when the owner ran (empty where `/proc` is missing).
    public var bootID: String
    /// The host the owner ran on.
    public var hostName: String
    /// The owner's PID namespace, such as `pid:[4026531836]` (empty where `/proc` is missing).
    public var pidNamespace: String

    /// An owner record from its parts.
    public init(processID: Int32, startTime: UInt64, bootID: String, hostName: String, pidNamespace: String) {
        self.processID = processID
        self.startTime = startTime
        self.bootID = bootID
        self.hostName = hostName
        self.pidNamespace = pidNamespace
    }

    /// What ``CheckpointRunOwner/liveness(comparedWith:startTimeOf:)`` concludes about a
    /// recorded owner.
    public enum Liveness: Hashable, Sendable {
        /// The owner is running: its directory is in use.
        case alive
        /// The owner has ended; the reason says how that is known.
        case gone(reason: String)
        /// The owner ran where this process cannot look (another host or PID namespace).
        case unknown(reason: String)
    }

    /// The first line of every owner record.
    static let magic = "rewind-checkpoint-owner 1"

    /// The record as it is written to the owner file: a magic line, then one `key value`
    /// line per field.
    ///
    /// - Complexity: O(1).
    public var recordText: String {
        [Self.magic, "pid \(processID)", "start \(startTime)", "boot \(bootID)", "host \(hostName)", "pidns \(pidNamespace)"]
            .joined(separator: "\n") + "\n"
    }

    /// Parses an owner record written by ``recordText``.
    ///
    /// - Throws: ``CheckpointStoreError/unavailable(reason:)`` naming the first line that
    ///   is missing or malformed.
    public init(recordText text: String) throws(CheckpointStoreError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == Self.magic else {
            throw .unavailable(reason: "not a Rewind owner record (its first line is not '\(Self.magic)')")
        }
        var fields: [String: String] = [:]
        for line in lines.dropFirst() where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        func field(_ key: String) throws(CheckpointStoreError) -> String {
            guard let value = fields[key] else { throw .unavailable(reason: "the owner record has no '\(key)' line") }
            return value
        }
        guard let pid = Int32(try field("pid")), pid > 0 else {
            throw .unavailable(reason: "the owner record's pid is not a positive process ID")
        }
        guard let start = UInt64(try field("start")) else {
            throw .unavailable(reason: "the owner record's start time is not a number of clock ticks")
        }
        self.init(processID: pid, startTime: start, bootID: try field("boot"), hostName: try field("host"), pidNamespace: try field("pidns"))
    }

    /// This process, as its run directories record it.
    public static var current: CheckpointRunOwner {
        let pid = getpid()
        return CheckpointRunOwner(
            processID: pid, startTime: startTime(of: pid) ?? 0, bootID: currentBootID, hostName: currentHostName,
            pidNamespace: currentPIDNamespace)
    }

    /// Whether this owner still runs, judged from `observer` (normally ``current``), whose
    /// host, boot and PID namespace say what can be checked.
    ///
    /// - Parameters:
    ///   - observer: the process doing the judging (normally ``current``); a check is
    ///     possible only from the same host, boot and PID namespace.
    ///   - startTimeOf: the start time of a process ID, `nil` when no process has it (reads
    ///     `/proc/<pid>/stat`; tests pass their own).
    /// - Complexity: one small file read.
    public func liveness(
        comparedWith observer: CheckpointRunOwner = .current, startTimeOf: (Int32) -> UInt64? = CheckpointRunOwner.startTime(of:)
    ) -> Liveness {
        guard hostName == observer.hostName else {
            return .unknown(reason: "it ran on host \(hostName), not this one (\(observer.hostName))")
        }
        guard !bootID.isEmpty, !observer.bootID.isEmpty else {
            return .unknown(reason: "this system has no boot ID to compare (no /proc)")
        }
        guard bootID == observer.bootID else { return .gone(reason: "the machine has rebooted since pid \(processID) wrote it") }
        guard pidNamespace == observer.pidNamespace else {
            return .unknown(reason: "pid \(processID) lives in another PID namespace (\(pidNamespace)), another container")
        }
        guard let start = startTimeOf(processID) else { return .gone(reason: "pid \(processID) has ended") }
        guard start == startTime else { return .gone(reason: "pid \(processID) has ended (its ID now belongs to a newer process)") }
        return .alive
    }

    /// The start time of `pid` in clock ticks since boot, from field 22 of
    /// `/proc/<pid>/stat`, or `nil` when no such process exists (or `/proc` is missing).
    ///
    /// - Complexity: one small file read.
    public static func startTime(of pid: Int32) -> UInt64? {
        guard let text = readSmallFile("/proc/\(pid)/stat") else { return nil }
        return parseStartTime(statLine: text)
    }

    /// Field 22 (`starttime`) of a `/proc/<pid>/stat` line. The command name, field 2, is in
    /// parentheses and may itself hold spaces and parentheses, so fields are counted after
    /// the last `)`.
    ///
    /// ```swift
    /// CheckpointRunOwner.parseStartTime(statLine: "42 (a) b) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777 0")  // 777
    /// ```
    public static func parseStartTime(statLine: String) -> UInt64? {
        guard let close = statLine.lastIndex(of: ")") else { return nil }
        // After ")": field 3 (state) is the first; starttime is field 22, the 20th after it.
        let fields = statLine[statLine.index(after: close)...].split(separator: " ")
        guard fields.count >= 20 else { return nil }
        return UInt64(fields[19])
    }

    static let currentBootID: String = readSmallFile("/proc/sys/kernel/random/boot_id")?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""

    static let currentHostName: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return text(of: name).replacingOccurrences(of: "\n", with: " ")
    }()

    static let currentPIDNamespace: String = {
        var target = [CChar](repeating: 0, count: 128)
        let count = readlink("/proc/self/ns/pid", &target, target.count - 1)
        return count > 0 ? text(of: target) : ""
    }()

    /// The UTF-8 text before the first NUL of a C character buffer.
    static func text(of characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The contents of a small text file (at most 4 KiB), or `nil` when it cannot be read.
    static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 4096)
        var count = 0
        while count < bytes.count {
            let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            count += got
        }
        return String(decoding: bytes[..<count], as: UTF8.self)
    }
}
