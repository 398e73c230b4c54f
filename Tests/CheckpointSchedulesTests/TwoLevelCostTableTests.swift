import Testing
@testable import CheckpointSchedules

/// The table against Aupy, Herrmann, Hovland & Robert's own recurrences (Opt₀, Opt₁ᴰ and
/// Opt^∞ of Disk-Revolve, doi:10.1137/15M1019222, in the form of the firedrake
/// checkpoint_schedules implementation), written here independently in the paper's
/// convention: a chain of l forward steps has l + 1 backward steps, so our n = l + 1.
@Suite struct TwoLevelCostTableTests {
    /// Opt₀[m][l], Opt₁ᴰ[l] and Opt^∞[l] for l = 0 … lmax with c_m memory slots.
    static func aupy(lmax: Int, memory cm: Int, uf: Double, ub: Double, wd: Double, rd: Double) -> [Double] {
        // Opt₀: memory revolve. opt0[m][l].
        var opt0 = [[Double]](repeating: [Double](repeating: .infinity, count: lmax + 1), count: cm + 1)
        for m in 0...cm { opt0[m][0] = ub }
        for m in 1...cm where lmax >= 1 { opt0[m][1] = uf + 2 * ub }
        if lmax >= 2 { for l in 2...lmax { opt0[1][l] = Double(l + 1) * ub + Double(l * (l + 1) / 2) * uf } }
        if cm >= 2 && lmax >= 2 {
            for m in 2...cm {
                for l in 2...lmax {
                    opt0[m][l] = (1..<l).map { j in Double(j) * uf + opt0[m - 1][l - j] + opt0[m][j - 1] }.min()!
                }
            }
        }
        // Opt₁ᴰ: x₀ is on disk and may be read again.
        var opt1d = [ub, uf + 2 * ub]
        if lmax >= 2 {
            for l in 2...lmax {
                let split = (1..<l).map { j in Double(j) * uf + opt0[cm][l - j] + rd + opt1d[j - 1] }.min()!
                opt1d.append(Swift.min(opt0[cm][l], split))
            }
        }
        // Opt^∞: Disk-Revolve with an unlimited disk.
        var optInf = [ub, uf + 2 * ub]
        if lmax >= 2 {
            for l in 2...lmax {
                let split = (1..<l).map { j in wd + Double(j) * uf + optInf[l - j] + rd + opt1d[j - 1] }.min()!
                optInf.append(Swift.min(opt0[cm][l], split))
            }
        }
        return optInf
    }

    @Test(arguments: [(1.0, 1.0, 1.0, 1.0), (1, 2, 3, 2), (1, 1, 10, 10), (2, 3, 0, 7), (1, 5, 4, 1)])
    func equalsDiskRevolveWithFreeMemoryAndUnlimitedDisk(costs: (Double, Double, Double, Double)) throws {
        let (uf, ub, wd, rd) = costs
        let model = CostModel(advance: uf, reverse: ub, write: [.disk: wd], read: [.disk: rd])
        for cm in 1...4 {
            let optInf = Self.aupy(lmax: 80, memory: cm, uf: uf, ub: ub, wd: wd, rd: rd)
            let table = TwoLevelCostTable(maximumLength: 81, capacities: [cm, nil], costModel: model)
            for l in 0...80 {
                let ours = table.currentCost(length: l + 1, free: [cm, 0], held: 0)
                #expect(ours == optInf[l], "l = \(l), c_m = \(cm), u_f = \(uf), u_b = \(ub), w_d = \(wd), r_d = \(rd)")
            }
        }
    }

    @Test func moreSlotsAndCheaperLevelsNeverCostMore() {
        let model = CostModel(advance: 1, reverse: 2, write: [.memory: 1, .disk: 5], read: [.memory: 1, .disk: 3])
        let table = TwoLevelCostTable(maximumLength: 60, capacities: [4, 4], costModel: model)
        for l in 2...60 {
            for fm in 0...4 {
                for fd in 0...4 {
                    let cost = table.currentCost(length: l, free: [fm, fd], held: 0)
                    if fm < 4 { #expect(table.currentCost(length: l, free: [fm + 1, fd], held: 0) <= cost) }
                    if fd < 4 { #expect(table.currentCost(length: l, free: [fm, fd + 1], held: 0) <= cost) }
                }
            }
        }
        #expect(TwoLevelCostTable.cellCount(maximumLength: 9, capacities: [1, nil]) == 10 * 4 * 2)
    }
}
