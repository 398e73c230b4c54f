/// SplitMix64 (Steele, Lea & Flood 2014, doi:10.1145/2714064.2660195): a tiny seeded
/// generator, shared by every test target, so that a seeded test that fails prints a seed
/// that reproduces it.
///
/// ```swift
/// var generator = SplitMix64(seed: 505)
/// let x = generator.uniform(-1...1)
/// ```
public struct SplitMix64: RandomNumberGenerator {
    /// The generator's state; the next value is a function of it alone.
    public var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Double` in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double { Double.random(in: range, using: &self) }
}
