// swift-tools-version: 6.1
//
// Rewind: memory-bounded reverse-mode automatic differentiation of long computations.
//
// Layers (arrows point to what a layer may import):
//
//   rewind (CLI) ──▶ ScheduleInspector ──▶ CheckpointSchedules
//         └──▶ RewindExamples (every example problem and demo, once) ──▶ the library modules
//   Kernels ──▶ CheckpointedAD
//   OptimalControl ──▶ AdjointODE ──▶ CheckpointedAD ──▶ CheckpointStorage ──▶ CZstd (libzstd)
//         │            │                          │                   └──▶ SystemPackage (swift-system)
//         └──▶ CIpopt  └──▶ CLAPACK               └──▶ CheckpointSchedules
//   Rewind (umbrella: re-exports the library modules; not the examples)
//   Distributed ──▶ CheckpointedAD, CMPI (Open MPI)   (not in the umbrella: only the MPI
//   example and its tests link MPI; DistributedExamples ──▶ Distributed; rewind-mpi-heat)
//
// Library modules hold no example problems: Lorenz-96, Burgers, Van der Pol, … live in
// RewindExamples, which the CLI's demos, the tests and the benchmarks share.
//
// The benchmarks live in their own package under Benchmarks/ so that `swift test` never
// builds them.
import PackageDescription

let package = Package(
    name: "Rewind",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Rewind", targets: ["Rewind"]),
        .library(name: "CheckpointSchedules", targets: ["CheckpointSchedules"]),
        .library(name: "CheckpointStorage", targets: ["CheckpointStorage"]),
        .library(name: "CheckpointedAD", targets: ["CheckpointedAD"]),
        .library(name: "Kernels", targets: ["Kernels"]),
        .library(name: "AdjointODE", targets: ["AdjointODE"]),
        .library(name: "OptimalControl", targets: ["OptimalControl"]),
        .library(name: "ScheduleInspector", targets: ["ScheduleInspector"]),
        .library(name: "RewindExamples", targets: ["RewindExamples"]),
        .executable(name: "rewind", targets: ["rewind"]),
        .library(name: "Distributed", targets: ["Distributed"]),
        .executable(name: "rewind-mpi-heat", targets: ["rewind-mpi-heat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // Pure scheduling math: binomial formulas, the action vocabulary, every schedule,
        // the simulator, the cost model and the planner. No I/O, no _Differentiation.
        .target(name: "CheckpointSchedules"),

        // libzstd, the system library. `apt-get install libzstd-dev` provides it.
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),

        // Where checkpoints live: RAM, files, codecs.
        .target(
            name: "CheckpointStorage",
            dependencies: ["CheckpointSchedules", "CZstd", .product(name: "SystemPackage", package: "swift-system")]
        ),

        // glibc allocator tuning (mallopt is not visible through `import Glibc`).
        .target(name: "CMallocTuning"),

        // The checkpointed reverse sweep and the differentiable `Vector`.
        .target(
            name: "CheckpointedAD",
            dependencies: ["CheckpointSchedules", "CheckpointStorage", "CMallocTuning"]
        ),

        // Per-site functions differentiated by Swift AD, swept over whole fields forward
        // and backward in one pass each.
        .target(name: "Kernels", dependencies: ["CheckpointedAD"]),

        // LAPACKE over OpenBLAS, the system libraries (dense and banded LU for the implicit
        // methods). `apt-get install liblapacke-dev libopenblas-dev` provides them.
        .systemLibrary(
            name: "CLAPACK",
            pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]
        ),

        // Discrete adjoints of explicit, diagonally implicit and Rosenbrock Runge–Kutta methods.
        .target(name: "AdjointODE", dependencies: ["CheckpointedAD", "CLAPACK", "Kernels"]),

        // IPOPT's C interface, the system library. `apt-get install coinor-libipopt-dev`
        // provides it (with sequential MUMPS).
        .systemLibrary(
            name: "CIpopt",
            pkgConfig: "ipopt",
            providers: [.apt(["coinor-libipopt-dev"]), .brew(["ipopt"])]
        ),

        // Single and multiple shooting optimal control with L-BFGS-B and IPOPT.
        .target(name: "OptimalControl", dependencies: ["AdjointODE", "CIpopt"]),

        // Reports, timelines, plans: everything the CLI shows, tested in-process.
        .target(name: "ScheduleInspector", dependencies: ["CheckpointSchedules"]),

        // The umbrella module: `import Rewind` brings in every library module.
        .target(
            name: "Rewind",
            dependencies: [
                "CheckpointSchedules", "CheckpointStorage", "CheckpointedAD", "Kernels",
                "AdjointODE", "OptimalControl", "ScheduleInspector",
            ]
        ),

        // Every example problem (ODE, optimal control, Lorenz-96) and the CLI's demos, once:
        // used by the CLI, the tests and the benchmarks.
        .target(
            name: "RewindExamples",
            dependencies: [
                "CheckpointSchedules", "CheckpointStorage", "CheckpointedAD", "Kernels",
                "AdjointODE", "OptimalControl", "ScheduleInspector",
            ]
        ),

        // The thin command-line shell over ScheduleInspector and the demos in RewindExamples.
        .executableTarget(
            name: "rewind",
            dependencies: [
                "CheckpointSchedules", "CheckpointStorage", "OptimalControl", "ScheduleInspector", "RewindExamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Open MPI, the system library, with a shim for the handles Open MPI defines as
        // macros. `apt-get install libopenmpi-dev openmpi-bin` provides it and `mpirun`.
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"]), .brew(["open-mpi"])]
        ),

        // Sharded states over MPI: strips and blocks, halo exchange and its reverse, reductions in a
        // fixed order, the same schedule on every rank. Kept out of the umbrella so that
        // only programs that want MPI link it.
        .target(
            name: "Distributed",
            dependencies: ["CMPI", "CheckpointedAD", "CheckpointStorage", "CheckpointSchedules"]
        ),

        // The distributed example problem (2-D heat equation in strips or blocks), shared by the
        // MPI example executable and its tests.
        .target(
            name: "DistributedExamples",
            dependencies: ["Distributed", "CheckpointedAD", "CheckpointStorage", "CheckpointSchedules"]
        ),

        // `mpirun -np P rewind-mpi-heat`: the distributed checkpointed gradient of the 2-D
        // heat equation.
        .executableTarget(
            name: "rewind-mpi-heat",
            dependencies: [
                "DistributedExamples", "Distributed", "CheckpointedAD", "CheckpointStorage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // What every test target shares (a seeded generator); not a product.
        .target(name: "RewindTestSupport", path: "Tests/RewindTestSupport"),

        .testTarget(name: "CheckpointSchedulesTests", dependencies: ["CheckpointSchedules", "RewindTestSupport"]),
        .testTarget(
            name: "CheckpointStorageTests",
            dependencies: ["CheckpointStorage", "RewindTestSupport", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .testTarget(name: "CheckpointedADTests", dependencies: ["CheckpointedAD", "RewindExamples", "RewindTestSupport"]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels", "RewindExamples", "RewindTestSupport"]),
        .testTarget(name: "AdjointODETests", dependencies: ["AdjointODE", "RewindExamples"]),
        .testTarget(name: "OptimalControlTests", dependencies: ["OptimalControl", "RewindExamples", "RewindTestSupport"]),
        .testTarget(name: "RewindExamplesTests", dependencies: ["RewindExamples", "RewindTestSupport"]),
        .testTarget(name: "ScheduleInspectorTests", dependencies: ["ScheduleInspector", "rewind"]),
        // Faults injected into real runs (damaged files, full disks, signals, other users,
        // concurrent runs), in-process and through the built `rewind` executable.
        .testTarget(
            name: "FaultTests",
            dependencies: ["CheckpointStorage", "CheckpointedAD", "CheckpointSchedules", "RewindTestSupport", "rewind"]
        ),
        // The MPI layer in-process (one rank) and through `mpirun -np 1…4` of the built
        // `rewind-mpi-heat`.
        .testTarget(
            name: "DistributedTests",
            dependencies: ["Distributed", "DistributedExamples", "CheckpointedAD", "rewind-mpi-heat"]
        ),
    ]
)
