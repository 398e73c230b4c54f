/// What a distributed (or single-process) checkpointed gradient of ``Heat2D`` printed:
/// the loss, the ν-gradient at full precision, a SHA-256 of the initial-state gradient's
/// bytes in global order, the schedule's statistics and each rank's memory.
public struct HeatGradientReport: Codable, Hashable, Sendable {
    /// One rank's share and costs.
    public struct Rank: Codable, Hashable, Sendable {
        /// The rank.
        public var rank: Int
        /// Rows of its strip or block.
        public var rows: Int
        /// Columns of its strip or block.
        public var columns: Int
        /// Peak bytes of its checkpoints in memory.
        public var peakCheckpointBytes: Int
        /// Peak bytes of its checkpoint files.
        public var peakDiskBytes: Int
        /// Peak resident memory of the process (VmHWM), 0 where unknown.
        public var peakResidentBytes: Int
        /// Seconds of its gradient (forward and reverse sweeps).
        public var seconds: Double
    }

    /// Rows × columns of the grid.
    public var rows: Int
    /// Columns.
    public var columns: Int
    /// Steps n.
    public var steps: Int
    /// The number of ranks P (1 for the single-process driver).
    public var ranks: Int
    /// How the grid was cut: "strips" or "blocks P_y × P_x".
    public var layout: String
    /// L = ½ Σ u[n]², summed in global row order.
    public var loss: Double
    /// ∂L/∂ν.
    public var diffusionGradient: Double
    /// Lower-case hex SHA-256 of ∂L/∂u[0] as little-endian doubles in global row-major order.
    public var initialGradientSHA256: String
    /// The schedule every rank ran.
    public var schedule: String
    /// Advances (recording sweep included).
    public var advances: Int
    /// Reverses (n).
    public var reverses: Int
    /// Checkpoints written per level ("memory", "disk").
    public var stores: [String: Int]
    /// Checkpoints read per level.
    public var restores: [String: Int]
    /// Slots per level.
    public var slots: [String: Int]
    /// Each rank's share and costs, in rank order.
    public var perRank: [Rank]
    /// Seconds of the slowest rank's gradient.
    public var seconds: Double
}
