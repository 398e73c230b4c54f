// swift-tools-version: 6.1
//
// Rewind's benchmarks, kept out of the main package so that `swift test` never builds
// them. Two kinds of target are discovered from the folders, so adding one is adding a
// folder:
//
//   Benchmarks/<Name>/   ordo-one benchmark suites:  swift package --package-path Benchmarks benchmark
//   Reports/<name>/      executables printing ratios measured in one run:
//                        swift run -c release --package-path Benchmarks <name>
//   Support/<Name>/      code the reports share: ReportSupport (clocks, timing, number
//                        formatting, padding, resident memory, load average), which every
//                        report may import, and C helpers listed in `reportSupport`
//
// SwiftPM caches the evaluated manifest, so after adding a folder build once with
// `--manifest-cache none` for it to be seen. It also caches the file lists of the Rewind
// package this one depends on (SwiftPM 6.3): after a source file is added to Rewind, a
// build here fails with "cannot find … in scope" until the build description is removed:
// `rm Benchmarks/.build/release/description.json` (or `debug/`).
import Foundation
import PackageDescription

let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

func folders(in directory: String) -> [String] {
    let url = here.appendingPathComponent(directory)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { name in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDirectory)
            && isDirectory.boolValue && !name.hasPrefix(".")
    }.sorted()
}

let rewind = Target.Dependency.product(name: "Rewind", package: "Rewind")
/// The example problems (Lorenz-96, Van der Pol, …), shared with the CLI and the tests.
let examples = Target.Dependency.product(name: "RewindExamples", package: "Rewind")

/// The clocks, timing loops, number formatting and memory readings the reports share.
let shared = Target.Dependency.target(name: "ReportSupport")

/// The C helpers a report uses besides Rewind and ReportSupport.
let reportSupport: [String: [Target.Dependency]] = [
    "allocator-report": ["CReportSupport"],
    "kernel-report": ["CMallocCounter"],
]

let package = Package(
    name: "RewindBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "Rewind", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: folders(in: "Benchmarks").map { name in
        .executableTarget(
            name: name,
            dependencies: [rewind, examples, .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/\(name)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    } + folders(in: "Reports").map { name in
        .executableTarget(name: name, dependencies: [rewind, examples, shared] + (reportSupport[name] ?? []), path: "Reports/\(name)")
    } + [
        // Clocks, timing, number text, padding, memory and load for every report (Swift only).
        .target(name: "ReportSupport", path: "Support/ReportSupport"),
        // Raw mallopt for the allocator report.
        .target(name: "CReportSupport", path: "Support/CReportSupport"),
        // A counting malloc for the kernel report (allocations per site).
        .target(name: "CMallocCounter", path: "Support/CMallocCounter"),
    ]
)
