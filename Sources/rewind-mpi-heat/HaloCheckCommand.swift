import ArgumentParser
import CheckpointedAD
import Distributed
import DistributedExamples
import Foundation

/// `rewind-mpi-heat halo-check`: the dot-product test of the halo exchange H and its reverse
/// Hᵀ across ranks, ⟨u, H v⟩ = ⟨Hᵀ u, v⟩, for each set of sides.
struct HaloCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "halo-check",
        abstract: "Dot-product test of the halo exchange and its reverse across the ranks (prints JSON).")

    @Option(help: "Rows of the grid.") var rows = 12
    @Option(help: "Columns of the grid.") var columns = 5
    @Option(help: "Halo width in rows (and columns, for blocks).") var width = 1
    @Option(help: "strips or blocks.") var layout = HeatLayout.strips
    @Option(help: "For blocks: how many blocks across (a divisor of P).") var blockColumns: Int?
    @Flag(help: "Test strips with halo widths 1–3 and every arrangement of blocks with widths 1–2, where they fit.")
    var everyArrangement = false

    func run() throws {
        let world = Communicator.world
        var results: [String: [String: Double]] = [:]
        if everyArrangement {
            for width in 1...3 where rows / world.size >= width {
                results.merge(try stripProducts(world, width: width, prefix: "strips w\(width) ")) { $1 }
            }
            for across in 1...world.size where world.size % across == 0 {
                for width in 1...2 where rows / (world.size / across) >= width && columns / across >= width {
                    let prefix = "blocks \(world.size / across)×\(across) w\(width) "
                    results.merge(try blockProducts(world, width: width, across: across, prefix: prefix)) { $1 }
                }
            }
        } else {
            switch layout {
            case .strips: results = try stripProducts(world, width: width, prefix: "")
            case .blocks: results = try blockProducts(world, width: width, across: blockColumns, prefix: "")
            }
        }
        if world.rank == 0 {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        }
    }

    /// Both products for each set of a strip exchange's sides.
    func stripProducts(_ world: Communicator, width: Int, prefix: String) throws -> [String: [String: Double]] {
        let halo = try MPIHaloExchange(communicator: world, rows: rows, columns: columns, width: width)
        var results: [String: [String: Double]] = [:]
        for (name, sides) in [("both", HaloSides.both), ("above", .above), ("below", .below)] {
            let (lhs, rhs) = HaloDotProduct.products(halo, sides: sides, across: world)
            results[prefix + name] = ["lhs": lhs, "rhs": rhs]
        }
        return results
    }

    /// Both products for each set of a block exchange's sides.
    func blockProducts(_ world: Communicator, width: Int, across: Int?, prefix: String) throws -> [String: [String: Double]] {
        let halo = try MPIBlockHaloExchange(communicator: world, rows: rows, columns: columns, width: width, rankColumns: across)
        var results: [String: [String: Double]] = [:]
        for (name, sides) in [("all", HaloSides.all), ("above", .above), ("below", .below), ("left", .left), ("right", .right)] {
            let (lhs, rhs) = HaloDotProduct.products(halo, sides: sides, across: world)
            results[prefix + name] = ["lhs": lhs, "rhs": rhs]
        }
        return results
    }
}

/// The two sides of the dot-product test for one exchange.
enum HaloDotProduct {
    /// (⟨u, H v⟩, ⟨Hᵀ u, v⟩) summed over every rank in a fixed order, for pseudo-random u
    /// (owned part and halo cotangents) and v drawn from the global cell index.
    static func products(_ halo: MPIHaloExchange, sides: HaloSides, across world: Communicator) -> (Double, Double) {
        let count = halo.ownedRows * halo.columns, first = halo.firstRow * halo.columns
        let haloCount = halo.width * halo.columns
        let v = Vector((0..<count).map { noise(first + $0, salt: 1) })
        let uOwned = Vector((0..<count).map { noise(first + $0, salt: 2) })
        let uHalo = HaloRows(
            above: sides.contains(.above) ? (0..<haloCount).map { noise(first + $0, salt: 3) } : [],
            below: sides.contains(.below) ? (0..<haloCount).map { noise(first + $0, salt: 4) } : [])
        let hv = halo.exchange(v, sides: sides)
        let lhs = dot(uOwned.scalars, v.scalars) + dot(uHalo.above, hv.above) + dot(uHalo.below, hv.below)
        var hTu = uOwned
        halo.pullback(uHalo, into: &hTu)
        let rhs = dot(hTu.scalars, v.scalars)
        return (FixedOrderSum.sum([lhs], across: world), FixedOrderSum.sum([rhs], across: world))
    }

    /// The same for a block exchange, with cotangents on every requested side.
    static func products(_ halo: MPIBlockHaloExchange, sides: HaloSides, across world: Communicator) -> (Double, Double) {
        let rows = halo.ownedRows, columns = halo.ownedColumns, count = rows * columns
        let key = halo.firstRow * 100_003 + halo.firstColumn
        let v = Vector((0..<count).map { noise(key + $0, salt: 1) })
        let uOwned = Vector((0..<count).map { noise(key + $0, salt: 2) })
        func side(_ s: HaloSides, _ n: Int, _ salt: UInt64) -> [Double] {
            sides.contains(s) ? (0..<n).map { noise(key + $0, salt: salt) } : []
        }
        let uHalo = BlockHalo(
            above: side(.above, halo.width * columns, 3), below: side(.below, halo.width * columns, 4),
            left: side(.left, rows * halo.width, 5), right: side(.right, rows * halo.width, 6))
        let hv = halo.exchange(v, sides: sides)
        let lhs = dot(uOwned.scalars, v.scalars) + dot(uHalo.above, hv.above) + dot(uHalo.below, hv.below)
            + dot(uHalo.left, hv.left) + dot(uHalo.right, hv.right)
        var hTu = uOwned
        halo.pullback(uHalo, into: &hTu)
        let rhs = dot(hTu.scalars, v.scalars)
        return (FixedOrderSum.sum([lhs], across: world), FixedOrderSum.sum([rhs], across: world))
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { FixedOrderSum.sum(zip(a, b).map { $0 * $1 }) }

    /// A value in [−1, 1) from an index and a salt.
    static func noise(_ index: Int, salt: UInt64) -> Double {
        var z = UInt64(index) &* 0x9E37_79B9_7F4A_7C15 &+ salt &* 0xD1B5_4A32_D192_ED03
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 52) - 1
    }
}
