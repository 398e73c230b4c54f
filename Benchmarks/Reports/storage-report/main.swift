// Codec throughput and ratio on 64 MiB float64 fields, and file-store throughput.
//
//     swift run -c release --package-path Benchmarks storage-report
//
// Targets (issue 4): ≥ 1 GB/s compression at zstd level 1 with the 8-lane shuffle on one
// core, and a ratio ≥ 1.5 on a smooth field. Every round trip is checked bit for bit.
import CheckpointStorage
import Foundation
import ReportSupport

let count = 8 << 20  // 8 Mi doubles = 64 MiB
let smooth: [Double] = (0 ..< count).map { i in
    let t = Double(i) / Double(count)
    return sin(40 * t) + 0.3 * cos(7 * t + 1) + 1e-3 * sin(9000 * t)
}
var generator = SystemRandomNumberGenerator()
let random: [Double] = (0 ..< count).map { _ in Double.random(in: -1 ... 1, using: &generator) }

// Rates are timed on the wall clock and on the calling thread's CPU clock: on a shared,
// overloaded machine the CPU time, not the wall clock, says what one core does.
print(String(format: "load average %.1f on %d cores: wall-clock rates are shared; CPU-time rates are per core",
             loadAverages()?[0] ?? 0, ProcessInfo.processInfo.activeProcessorCount))

func measure(_ codec: CheckpointCodec, _ field: [Double], name: String) {
    let raw = field.checkpointBytes()
    let compressor = CheckpointCompressor(codec: codec)
    let decompressor = CheckpointDecompressor(codec: codec)
    var encoded = [UInt8]()
    encoded.reserveCapacity(codec.maxEncodedCount(rawCount: raw.count))
    var back = [UInt8](repeating: 0, count: raw.count)
    var compress = Double.infinity, decompress = Double.infinity
    var compressCPU = Double.infinity, decompressCPU = Double.infinity
    for _ in 0 ..< 3 {
        encoded.removeAll(keepingCapacity: true)
        var cpu = 0.0
        compress = min(compress, elapsed(on: .wall) {
            cpu = elapsed(on: .threadCPU) {
                raw.withUnsafeBytes { bytes in
                    compressor.compress(bytes) { (chunk: UnsafeRawBufferPointer) in encoded.append(contentsOf: chunk) }
                }
            }
        })
        compressCPU = min(compressCPU, cpu)
        decompress = min(decompress, elapsed(on: .wall) {
            cpu = elapsed(on: .threadCPU) {
                back.withUnsafeMutableBytes { out in
                    encoded.withUnsafeBytes { try! decompressor.decompress(into: out, from: $0) }
                }
            }
        })
        decompressCPU = min(decompressCPU, cpu)
    }
    precondition(back == raw, "\(codec) did not round-trip \(name) bit for bit")
    let gb = Double(raw.count) / 1e9
    print(
        name.padding(toLength: 8, withPad: " ", startingAt: 0),
        codec.description.padding(toLength: 22, withPad: " ", startingAt: 0),
        String(format: "ratio %5.3f   compress %5.2f GB/s (CPU %5.2f)   decompress %5.2f GB/s (CPU %5.2f)",
               Double(raw.count) / Double(encoded.count), gb / compress, gb / compressCPU, gb / decompress, gb / decompressCPU))
}

print("64 MiB float64 fields, one thread (zstd workers 0), best of 3")
let codecs: [CheckpointCodec] = [
    CheckpointCodec(filter: .shuffle(width: 8, xorWithPrevious: false)),
    .zstd(level: 1), .zstd(level: 3),
    .shuffledZstd(level: 1), .shuffledZstd(level: 3),
    .shuffledZstd(level: 1, xorWithPrevious: true), .shuffledZstd(level: 3, xorWithPrevious: true),
]
for (name, field) in [("smooth", smooth), ("random", random)] {
    for codec in codecs { measure(codec, field, name: name) }
}
print("\nVariants on the smooth field: faster zstd levels, larger shuffle blocks")
for codec in [
    CheckpointCodec.shuffledZstd(level: -1), .shuffledZstd(level: -3),
    CheckpointCodec(filter: .shuffle(width: 8, xorWithPrevious: false), compression: .zstd(level: 1, workers: 0), blockSize: 8 << 20),
] {
    measure(codec, smooth, name: "smooth")
}

// The file store: 8 states of 64 MiB stored and restored through /tmp (page cache).
print("\nFileCheckpointStore, 8 × 64 MiB smooth states, write-behind 2, read-ahead 1, $TMPDIR or /tmp")
for codec in [CheckpointCodec.identity, .shuffledZstd(level: 1)] {
    let store = try FileCheckpointStore<[Double]>(capacity: 8, codec: codec)
    let write = elapsed(on: .wall) {
        for slot in 0 ..< 8 { try! store.store(smooth, step: slot, slot: slot) }
        try! store.flush()
    }
    let read = elapsed(on: .wall) {
        for slot in (0 ..< 8).reversed() {
            if slot > 0 { store.prefetch(step: slot - 1, slot: slot - 1) }
            let x = try! store.restore(step: slot, slot: slot, release: true)
            precondition(x.count == smooth.count && x[12345].bitPattern == smooth[12345].bitPattern)
        }
    }
    let io = store.statistics
    let gb = 8 * Double(smooth.checkpointEncodedByteCount) / 1e9
    print(
        codec.description.padding(toLength: 22, withPad: " ", startingAt: 0),
        String(format: "store+flush %5.2f GB/s   restore %5.2f GB/s   ratio %5.3f   encode %5.2f s  write %5.2f s  read %5.2f s  decode %5.2f s  waited %5.2f s  overlapped %5.2f s",
               gb / write, gb / read, io.compressionRatio, io.encodeSeconds, io.writeSeconds, io.readSeconds, io.decodeSeconds, io.waitSeconds, io.overlappedSeconds))
}
