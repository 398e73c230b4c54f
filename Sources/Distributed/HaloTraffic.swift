/// The messages a strip-partitioned explicit step sends, per rank, and a latency–bandwidth
/// model of their time: the communication half of the cost of a distributed checkpointed
/// adjoint (the other half is the schedule's step count, which does not depend on P).
///
/// An advance exchanges both halo sides (2 messages of width × columns doubles); a reverse
/// exchanges them again to recompute the step's value and then sends the two halo
/// cotangents back (2 more): 4 messages.
///
/// ```swift
/// let traffic = HaloTraffic(columns: 31_623, width: 1)
/// traffic.seconds(advances: 20_000, reverses: 5_000, latency: 2e-6, bandwidth: 10e9)
/// ```
public struct HaloTraffic: Hashable, Sendable {
    /// Columns of every row.
    public var columns: Int
    /// Halo width in rows.
    public var width: Int

    /// The traffic of a grid with `columns` columns and a halo of `width` rows.
    public init(columns: Int, width: Int = 1) {
        self.columns = columns
        self.width = width
    }

    /// Bytes in one halo message: width × columns doubles.
    public var messageBytes: Int { width * columns * 8 }
    /// Bytes a rank sends per advance (its halo sides, both directions): 2 messages.
    public var bytesPerAdvance: Int { 2 * messageBytes }
    /// Bytes a rank sends per reverse: the halo again, then the reverse halo: 4 messages.
    public var bytesPerReverse: Int { 4 * messageBytes }

    /// Seconds of communication for a schedule's advances and reverses, each message
    /// costing `latency` plus its bytes over `bandwidth` (sends of a rank are not overlapped).
    public func seconds(advances: Int, reverses: Int, latency: Double, bandwidth: Double) -> Double {
        let perMessage = latency + Double(messageBytes) / bandwidth
        return Double(2 * advances + 4 * reverses) * perMessage
    }
}
