// Helpers shared by the storage tests: a seeded generator and test fields.
import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random bytes from a seed.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    return (0 ..< count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
}

/// A smooth float64 field, sin-based, as a simulation state would be.
func smoothField(_ count: Int) -> [Double] {
    (0 ..< count).map { i in sin(Double(i) * 0.001) + 0.5 * cos(Double(i) * 0.00037) }
}
