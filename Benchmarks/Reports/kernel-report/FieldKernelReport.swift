// `kernel-report fields`: the 2-D grid kernel and the coupled two-field kernel, whose site
// types live here as a user's would: RK4 forward µs per step, store-all gradient / forward,
// and malloc calls per site evaluation of the forward step and of the pullback (0 is the
// allocation-free path).
import _Differentiation
import CheckpointedAD
import CheckpointSchedules
import Kernels
import RewindExamples
import ReportSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// 2-D Allen–Cahn: d·Δu + u − u³ on the five-point Laplacian.
struct AllenCahnSite: GridSiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: GridNeighbourhood, _ d: Double) -> Double {
        d * (u.north + u.south + u.west + u.east - 4 * u.centre) + u.centre - u.centre * u.centre * u.centre
    }
    func pullback(at u: GridNeighbourhood, _ d: Double, seed: Double) -> (GridNeighbourhood, Double) {
        valueWithPullback(at: u, d) { u, d in self(u, d) }.pullback(seed)
    }
}

/// 1-D Gray–Scott: u′ = D_u Δu − uv² + F(1 − u), v′ = D_v Δv + uv² − (F + k)v, parameter F.
struct GrayScottSite: CoupledSiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: Neighbourhood, _ v: Neighbourhood, _ feed: Double) -> SitePair {
        let reaction = u.centre * v.centre * v.centre
        return SitePair(u: 0.2 * (u.minus1 - 2 * u.centre + u.plus1) - reaction + feed * (1 - u.centre),
                        v: 0.1 * (v.minus1 - 2 * v.centre + v.plus1) + reaction - (feed + 0.062) * v.centre)
    }
    func pullback(at u: Neighbourhood, _ v: Neighbourhood, _ feed: Double, seed: SitePair) -> (Neighbourhood, Neighbourhood, Double) {
        valueWithPullback(at: u, v, feed) { u, v, feed in self(u, v, feed) }.pullback(seed)
    }
}

/// 2-D Gray–Scott, the function `RewindExamples.GrayScott.Site` computes, declared here as a
/// user's own site would be. (The example's site, swept from here across modules, now costs
/// the same: what used to cost 2 heap blocks per site was its pullback's method reference,
/// `of: callAsFunction`, on a site with stored properties; see `GrayScottMethodReferenceSite`.)
struct GrayScott2DSite: CoupledGridSiteFunction {
    @differentiable(reverse)
    func callAsFunction(_ u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double) -> SitePair {
        let reaction = u.centre * v.centre * v.centre
        let laplacianU = u.north + u.south + u.west + u.east - 4 * u.centre
        let laplacianV = v.north + v.south + v.west + v.east - 4 * v.centre
        return SitePair(u: 0.2 * laplacianU - reaction + feed * (1 - u.centre),
                        v: 0.1 * laplacianV + reaction - (feed + 0.062) * v.centre)
    }
    func pullback(at u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double, seed: SitePair)
        -> (GridNeighbourhood, GridNeighbourhood, Double)
    {
        valueWithPullback(at: u, v, feed) { u, v, feed in self(u, v, feed) }.pullback(seed)
    }
}

/// The same site with a stored coefficient (a feed scale of 1, so the same bits), its
/// pullback written the old way, `valueWithPullback(at: u, v, feed, of: callAsFunction)`: the
/// method reference captures `self`, and Swift AD's pullback then allocates 2 blocks per site
/// (the `fields` row shows it); the closure literal `{ u, v, feed in self(u, v, feed) }` does not.
struct GrayScottMethodReferenceSite: CoupledGridSiteFunction {
    let feedScale = 1.0
    @differentiable(reverse)
    func callAsFunction(_ u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double) -> SitePair {
        GrayScott2DSite()(u, v, feed * feedScale)
    }
    func pullback(at u: GridNeighbourhood, _ v: GridNeighbourhood, _ feed: Double, seed: SitePair)
        -> (GridNeighbourhood, GridNeighbourhood, Double)
    {
        valueWithPullback(at: u, v, feed, of: callAsFunction).pullback(seed)
    }
}

/// Forward and store-all gradient of `kernel`'s RK4 over `steps` steps (through `step` when
/// given: the kernel's step specialised in another module), and its malloc calls per site,
/// printed as one line.
func measure<Kernel: FieldKernel>(
    _ name: String, _ kernel: Kernel, _ x0: Vector, sites: Int, parameter: Double, dt: Double, steps: Int,
    step given: CheckpointedStep<Vector, Double, Vector, Double>? = nil
) throws where Kernel.Parameters == Double, Kernel.Parameters.TangentVector == Double {
    let step = given ?? kernel.rungeKutta4(dt: dt)
    var forward = Double.infinity, gradient = Double.infinity
    for _ in 0..<3 {
        var start = threadCPUSeconds()
        var x = x0
        for _ in 0..<steps { x = step.forward(x, parameter, 0) }
        forward = min(forward, threadCPUSeconds() - start)
        start = threadCPUSeconds()
        let g = try valueWithCheckpointedGradient(at: x0, parameters: parameter, steps: steps,
            checkpointing: .schedule(StoreAll(steps: steps)), step: step, losses: [makeLoss()])
        gradient = min(gradient, threadCPUSeconds() - start)
        precondition(g.finalState == x, "\(name): the driver's x[n] differs from the forward loop's")
    }
    let mallocs = countAllocations(step, x0, parameter: parameter, sites: sites)
    print("  \(name.rightPadded(36))  \(format(forward / Double(steps) * 1e6, digits: 2).leftPadded(12))   "
        + "\(format(gradient / forward, digits: 2).leftPadded(18))   \(mallocs.forward.leftPadded(14))   \(mallocs.pullback.leftPadded(15))")
}

/// The 2-D and coupled kernels at a small and a large size.
func runFieldKernels() throws {
    print("Field kernels, RK4, store-all gradient (least CPU time of 3 rounds):")
    print("  kernel                                forward µs/step   gradient / forward   malloc/site fwd   malloc/site bwd")
    for side in [64, 512] {
        let kernel = GridKernel(AllenCahnSite(), rows: side, columns: side, boundary: .zeroFlux)
        let x0 = Vector((0..<(side * side)).map { 0.1 * sin(Double($0) * 0.37) })
        try measure("Allen–Cahn 2-D \(side)×\(side)", kernel, x0, sites: side * side, parameter: 0.2, dt: 0.05, steps: side == 64 ? 400 : 20)
    }
    let side = 256, cells = side * side
    let grayScott = GrayScott.initialState(side: side)
    try measure("Gray–Scott 2-D \(side)², local site", CoupledGridKernel(GrayScott2DSite(), rows: side, columns: side),
                grayScott, sites: cells, parameter: GrayScott.feed, dt: GrayScott.dt, steps: 40)
    try measure("Gray–Scott 2-D \(side)², example's site", GrayScott.kernel(side: side),
                grayScott, sites: cells, parameter: GrayScott.feed, dt: GrayScott.dt, steps: 40)
    try measure("Gray–Scott 2-D \(side)², example's step", GrayScott.kernel(side: side),
                grayScott, sites: cells, parameter: GrayScott.feed, dt: GrayScott.dt, steps: 40,
                step: GrayScott.rungeKutta4(side: side))
    try measure("Gray–Scott 2-D \(side)², method reference", CoupledGridKernel(GrayScottMethodReferenceSite(), rows: side, columns: side),
                grayScott, sites: cells, parameter: GrayScott.feed, dt: GrayScott.dt, steps: 40)
    for points in [1024, 262_144] {
        let kernel = CoupledStencilKernel(GrayScottSite(), radius: 1, boundaries: (u: .periodic, v: .periodic))
        let x0 = Vector((0..<(2 * points)).map { (j: Int) -> Double in
            let wave = sin(Double(j / 2) * 0.01)
            return j % 2 == 0 ? 1 - 0.5 * wave : 0.25 + 0.25 * wave
        })
        try measure("Gray–Scott 1-D, \(points) points", kernel, x0, sites: points, parameter: 0.035, dt: 0.5, steps: points == 1024 ? 2000 : 20)
    }
}

/// Gray–Scott, RewindExamples' example as a user runs it (`GrayScott.rungeKutta4(side:)`, its
/// sweeps specialised beside the site), on a side × side grid, `steps` RK4 steps: the
/// forward run alone, then the gradient under Revolve in `budgetMB` of memory; thread CPU
/// times (the memory-only driver runs on the calling thread), the ratio, the schedule's
/// counts and the process's peak resident memory.
func runGrayScott(side: Int, steps: Int, budgetMB: Int) throws {
    let step = GrayScott.rungeKutta4(side: side)
    let x0 = GrayScott.initialState(side: side)
    var start = threadCPUSeconds()
    var x = x0
    for _ in 0..<steps { x = step.forward(x, GrayScott.feed, 0) }
    let forward = threadCPUSeconds() - start
    start = threadCPUSeconds()
    var options = CheckpointingOptions()
    options.workspaceStates = GrayScott.kernel(side: side).rungeKutta4WorkspaceStates
    let g = try valueWithCheckpointedGradient(
        at: x0, parameters: GrayScott.feed, steps: steps, checkpointing: .revolve(memory: .megabytes(Double(budgetMB))),
        options: options, step: step, losses: [GrayScott.loss])
    let gradient = threadCPUSeconds() - start
    precondition(g.finalState == x, "the driver's x[n] differs from the forward loop's")
    let s = g.statistics
    print("Gray–Scott \(side)×\(side) (state \(format(Double(s.stateBytes) / 1_048_576, digits: 1)) MiB), \(steps) RK4 steps, "
        + "Revolve in \(budgetMB) MB (\(s.capacities[.memory] ?? 0) slots):")
    print("  CPU: forward \(format(forward, digits: 2)) s, gradient \(format(gradient, digits: 2)) s, gradient / forward \(format(gradient / forward, digits: 2)); "
        + "advances \(s.recordingAdvances + s.recomputationAdvances) (\(format(Double(s.recordingAdvances + s.recomputationAdvances) / Double(steps), digits: 2)) per step), "
        + "peak resident \(format(peakResidentMebibytes(), digits: 1)) MiB; L = \(g.value), dL/dF = \(g.parameters)")
}
