/// What a checkpoint codec does to a state, as far as planning is concerned: how much
/// smaller it makes it and how fast it works. Measure these on a real state (the
/// `CheckpointStorage` codecs can), or assume them.
///
/// ```swift
/// let shuffleZstd = CodecProfile(name: "shuffle+zstd-1", ratio: 1.5,
///                                compressionSpeed: 1.0e9, decompressionSpeed: 1.6e9)
/// ```
///
/// Speeds are bytes of *uncompressed* state per second, for one state on the threads the
/// codec will really use.
public struct CodecProfile: Hashable, Sendable, Codable, CustomStringConvertible {
    /// A name to print and to choose the real codec by (`identity`, `zstd-3`, …).
    public var name: String
    /// Uncompressed size / compressed size, at least 1.
    public var ratio: Double
    /// Bytes of state compressed per second; `nil` means free (no transformation).
    public var compressionSpeed: Double?
    /// Bytes of state restored per second; `nil` means free.
    public var decompressionSpeed: Double?

    /// A codec profile; the ratio must be ≥ 1 and the speeds positive.
    public init(name: String, ratio: Double, compressionSpeed: Double?, decompressionSpeed: Double?) {
        precondition(ratio >= 1 && ratio.isFinite, "a compression ratio is at least 1, got \(ratio) for \(name)")
        precondition((compressionSpeed ?? 1) > 0 && (decompressionSpeed ?? 1) > 0,
                     "codec speeds are positive, got \(String(describing: compressionSpeed)) and \(String(describing: decompressionSpeed)) for \(name)")
        self.name = name
        self.ratio = ratio
        self.compressionSpeed = compressionSpeed
        self.decompressionSpeed = decompressionSpeed
    }

    /// No compression: ratio 1, no codec time.
    public static let identity = CodecProfile(name: "identity", ratio: 1, compressionSpeed: nil, decompressionSpeed: nil)

    /// Whether this profile leaves the state as it is.
    public var isIdentity: Bool { ratio == 1 && compressionSpeed == nil && decompressionSpeed == nil }

    /// The bytes one stored state occupies: ⌈size / ratio⌉, at least 1 byte.
    public func storedSize(of stateSize: ByteCount) -> ByteCount {
        ByteCount(Swift.max(1, ceilingInteger(Double(stateSize.bytes) / ratio)))
    }

    /// Seconds to compress one state.
    public func compressionTime(of stateSize: ByteCount) -> Double {
        compressionSpeed.map { Double(stateSize.bytes) / $0 } ?? 0
    }

    /// Seconds to decompress one state.
    public func decompressionTime(of stateSize: ByteCount) -> Double {
        decompressionSpeed.map { Double(stateSize.bytes) / $0 } ?? 0
    }

    /// `name (ratio ×r)`.
    public var description: String { isIdentity ? name : "\(name) (ratio \(ratio))" }
}
