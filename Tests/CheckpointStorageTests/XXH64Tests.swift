@testable import CheckpointStorage
import Testing

/// Published XXH64 values (xxHash reference implementation, seed 0).
@Test(arguments: [
    ("", 0xEF46_DB37_51D8_E999 as UInt64),
    ("a", 0xD24E_C4F1_A98C_6E5B),
    ("abc", 0x44BC_2CF5_AD77_0999),
    ("Nobody inspects the spammish repetition", 0xFBCE_A83C_8A37_8BF1),
])
func knownDigests(text: String, expected: UInt64) {
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBytes { XXH64.hash($0) } == expected)
}

@Test func streamingEqualsOneShot() {
    let bytes = randomBytes(1000, seed: 7)
    let whole = bytes.withUnsafeBytes { XXH64.hash($0, seed: 42) }
    for pieces in [[1000], [1, 999], [31, 1, 32, 936], [7, 8, 9, 33, 64, 879], Array(repeating: 1, count: 1000)] {
        var hasher = XXH64(seed: 42)
        var offset = 0
        for piece in pieces {
            bytes[offset ..< offset + piece].withUnsafeBytes { hasher.update($0) }
            offset += piece
        }
        #expect(hasher.digest() == whole, "pieces \(pieces.prefix(6))")
    }
}
