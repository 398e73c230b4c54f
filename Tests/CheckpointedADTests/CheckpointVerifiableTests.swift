import Testing
@testable import CheckpointedAD

/// Fingerprints see every bit; finiteness sees every NaN and infinity.
@Suite struct CheckpointVerifiableTests {
    @Test func fingerprintsSeeEveryBit() {
        let x: Vector = [1, 2, 3]
        #expect(x.checkpointFingerprint == Vector([1, 2, 3]).checkpointFingerprint)
        #expect(x.checkpointFingerprint != Vector([1, 2, 3.0000000000000004]).checkpointFingerprint)
        #expect(Vector([0.0]).checkpointFingerprint != Vector([-0.0]).checkpointFingerprint)   // == as numbers, not as bits
        #expect(x.checkpointFingerprint != Vector([1, 2]).checkpointFingerprint)
        #expect([1.0, 2.0].checkpointFingerprint != [2.0, 1.0].checkpointFingerprint)
        let m = Matrix(rows: 2, columns: 1, scalars: [1, 2])
        #expect(m.checkpointFingerprint != Matrix(rows: 1, columns: 2, scalars: [1, 2]).checkpointFingerprint)
    }

    @Test func finitenessSeesNaNAndInfinity() {
        #expect(Vector([1, 2, 3]).isCheckpointFinite)
        #expect(!Vector([1, .nan, 3]).isCheckpointFinite)
        #expect(!Vector([1, 2, -.infinity]).isCheckpointFinite)
        #expect(!Matrix(rows: 1, columns: 2, scalars: [.infinity, 0]).isCheckpointFinite)
        #expect(!Double.nan.isCheckpointFinite && 1.5.isCheckpointFinite)
        #expect(![[1.0], [.nan]].isCheckpointFinite)
        #expect(Vector.zero.isCheckpointFinite)
    }

    @Test func sizesCountHeapBytes() {
        #expect(Vector(repeating: 0, count: 1000).checkpointByteCount == 8000)
        #expect([1.0, 2.0, 3.0].checkpointByteCount == 24)
        #expect(Matrix(rows: 3, columns: 4, repeating: 1).checkpointByteCount == 96)
        #expect(2.0.checkpointByteCount == 8)
    }
}
