// Codec and file-store throughput on a 64 MiB smooth float64 field.
//
//     swift package --package-path Benchmarks benchmark --target StorageBenchmarks
//
// Target (issue 4): shuffle + zstd level 1 compresses ≥ 1 GB/s on one core (64 MiB in
// ≤ 67 ms). The ratio report is `swift run -c release --package-path Benchmarks storage-report`.
import Benchmark
import CheckpointStorage
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], maxIterations: 10)
    let field: [Double] = (0 ..< (8 << 20)).map { sin(Double($0) * 1e-5) }
    let raw = field.checkpointBytes()

    for codec in [CheckpointCodec.zstd(level: 1), .shuffledZstd(level: 1), .shuffledZstd(level: 1, xorWithPrevious: true)] {
        Benchmark("compress 64 MiB smooth: \(codec)") { benchmark in
            let compressor = CheckpointCompressor(codec: codec)
            var bytes = 0
            benchmark.startMeasurement()
            raw.withUnsafeBytes { compressor.compress($0) { (chunk: UnsafeRawBufferPointer) in bytes += chunk.count } }
            blackHole(bytes)
        }
    }

    Benchmark("file store: store + flush + restore 64 MiB, shuffle+zstd(1)") { benchmark in
        let store = try FileCheckpointStore<[Double]>(capacity: 1, codec: .shuffledZstd(level: 1))
        benchmark.startMeasurement()
        try store.store(field, step: 0, slot: 0)
        try store.flush()
        blackHole(try store.restore(step: 0, slot: 0, release: true))
    }
}
