/// The messages a partitioned explicit step sends, per rank, and a latency–bandwidth model
/// of their time: the communication half of the cost of a distributed checkpointed adjoint
/// (the other half is the schedule's step count, which does not depend on P).
///
/// An advance exchanges every halo side once (a strip: 2 messages of width × columns
/// doubles; a block: 2 of width × its columns and 2 of its rows × width); a reverse
/// exchanges them again to recompute the step's value and then sends every halo cotangent
/// back: twice the messages.
///
/// ```swift
/// let strips = HaloTraffic.strips(columns: 31_623)
/// let blocks = HaloTraffic.blocks(rows: 791, columns: 1_265)
/// strips.seconds(advances: 9_887, reverses: 5_000, latency: 2e-6, bandwidth: 10e9)
/// ```
public struct HaloTraffic: Hashable, Sendable {
    /// Bytes of each message of one exchange of every side.
    public var messageBytes: [Int]

    /// The traffic of a strip with `columns` columns and a halo of `width` rows.
    public static func strips(columns: Int, width: Int = 1) -> Self {
        Self(messageBytes: [width * columns * 8, width * columns * 8])
    }

    /// The traffic of a `rows × columns` block with a halo of `width` rows and columns.
    public static func blocks(rows: Int, columns: Int, width: Int = 1) -> Self {
        Self(messageBytes: [width * columns * 8, width * columns * 8, rows * width * 8, rows * width * 8])
    }

    /// Bytes a rank sends per advance.
    public var bytesPerAdvance: Int { messageBytes.reduce(0, +) }
    /// Bytes a rank sends per reverse: the halo again, then the reverse halo.
    public var bytesPerReverse: Int { 2 * bytesPerAdvance }

    /// Seconds of communication for a schedule's advances and reverses, each message
    /// costing `latency` plus its bytes over `bandwidth` (a rank's sends not overlapped).
    public func seconds(advances: Int, reverses: Int, latency: Double, bandwidth: Double) -> Double {
        let exchange = messageBytes.reduce(0.0) { $0 + latency + Double($1) / bandwidth }
        return Double(advances + 2 * reverses) * exchange
    }
}
