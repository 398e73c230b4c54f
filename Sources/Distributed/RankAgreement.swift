/// Start-up checks that every rank passes or every rank fails, with the same error: so a
/// mistake stops the whole job with one clear message instead of leaving some ranks waiting
/// in an exchange for ranks that already gave up.
///
/// ```swift
/// try RankAgreement.check([("steps", "\(n)"), ("schedule", digest)], across: world)
/// let stores = try RankAgreement.agree(across: world) { try makeStores() }
/// ```
public enum RankAgreement {
    /// Checks that every rank passes the same value for each named setting; otherwise every
    /// rank throws ``DistributedError/ranksDisagree(setting:values:)`` for the first setting
    /// that differs, listing each rank's value.
    ///
    /// - Complexity: one all-gather of 8 bytes per setting; on a disagreement, one broadcast
    ///   per rank of its value.
    public static func check(_ settings: [(name: String, value: String)], across communicator: Communicator) throws(DistributedError) {
        let fingerprints = settings.map { setting in
            SHA256.hash(Array(setting.value.utf8)).bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        let everyRank = communicator.allGather(fingerprints)
        for (index, setting) in settings.enumerated() where Set(everyRank.map { $0[index] }).count > 1 {
            let values = (0..<communicator.size).map { r in communicator.broadcast(setting.value, root: r) }
            throw .ranksDisagree(setting: setting.name, values: values)
        }
    }

    /// Runs `body` on every rank; if it throws on any rank, every rank throws
    /// ``DistributedError/rankFailed(rank:message:)`` with the lowest failing rank's error.
    ///
    /// Every rank must call it at the same point; `body` must not communicate.
    public static func agree<Value>(across communicator: Communicator, _ body: () throws -> Value) throws(DistributedError) -> Value {
        var outcome: Result<Value, any Error>
        do { outcome = .success(try body()) } catch { outcome = .failure(error) }
        let failed: Int64 = if case .failure = outcome { 1 } else { 0 }
        let failures = communicator.allGather(failed)
        guard let first = failures.firstIndex(of: 1) else {
            if case let .success(value) = outcome { return value }
            preconditionFailure("a rank that succeeded has no value")
        }
        var message = ""
        if case let .failure(error) = outcome { message = "\(error)" }
        throw .rankFailed(rank: first, message: communicator.broadcast(message, root: first))
    }
}
