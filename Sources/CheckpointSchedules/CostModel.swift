/// The price of each kind of action, in any unit of time, for predicting a schedule's
/// run time before anything runs.
///
/// ```swift
/// let model = CostModel(advance: 1, reverse: 3, write: [.disk: 20], read: [.disk: 10])
/// ```
///
/// A level's write and read costs are per state and include everything one store or
/// restore costs there; for a device that is a fixed latency plus bytes over bandwidth
/// (``transferTime(of:latency:bandwidth:)``), which is how ``CheckpointPlanner`` prices
/// the disk.
public struct CostModel: Hashable, Sendable, Codable {
    /// The cost of one advance: one step without taping.
    public var advance: Double
    /// The cost of one reverse: one taped step plus its pullback.
    public var reverse: Double
    /// The cost of storing one state at each level (missing levels cost 0).
    public var write: [StorageLevel: Double]
    /// The cost of restoring one state from each level (missing levels cost 0).
    public var read: [StorageLevel: Double]

    /// A cost model; by default an advance costs 1, a reverse 2 and memory is free.
    public init(advance: Double = 1, reverse: Double = 2, write: [StorageLevel: Double] = [:], read: [StorageLevel: Double] = [:]) {
        self.advance = advance
        self.reverse = reverse
        self.write = write
        self.read = read
    }

    /// The cost of storing one state at `level`.
    public func writeCost(_ level: StorageLevel) -> Double { write[level] ?? 0 }
    /// The cost of restoring one state from `level`.
    public func readCost(_ level: StorageLevel) -> Double { read[level] ?? 0 }
}
