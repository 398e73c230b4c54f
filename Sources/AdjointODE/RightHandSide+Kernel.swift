import _Differentiation
import CheckpointedAD
import Kernels

extension RightHandSide {
    /// The right-hand side y′ = f(y, p) of a kernel whose one parameter is a `Double`: the
    /// kernel's fused sweeps evaluate f and its vector-Jacobian product, straight on the
    /// solver's buffers, with no copy. An implicit method gets a banded Jacobian where the
    /// kernel's boundaries allow one (``/Kernels/FieldKernel/jacobianBandwidth``).
    ///
    /// ```swift
    /// let rhs = RightHandSide(kernel: StiffProblems.brusselatorKernel(points: 100), dimension: 200)
    /// let problem = ODEProblem(rightHandSide: rhs, initialState: y0, parameters: [0.02])
    /// ```
    ///
    /// - Complexity: an evaluation is one forward sweep, a VJP one backward sweep.
    public init<Kernel: FieldKernel & Sendable>(kernel: Kernel, dimension: Int) where Kernel.Parameters == Double {
        self.init(kernel: kernel, dimension: dimension, parameterCount: 1,
                  parameters: { $0[0] }, addParameterCotangent: { pbar, into in into[0] += pbar })
    }

    /// The right-hand side of a kernel with any parameter type: `parameters` reads the
    /// kernel's parameters from the solver's flat parameter vector, and
    /// `addParameterCotangent` adds their cotangent to the flat gradient.
    ///
    /// ```swift
    /// let rhs = RightHandSide(kernel: gray, dimension: 2 * n, parameterCount: 2,
    ///                         parameters: { GrayScott(feed: $0[0], kill: $0[1]) },
    ///                         addParameterCotangent: { g, p in p[0] += g.feed; p[1] += g.kill })
    /// ```
    ///
    /// - Complexity: an evaluation is one forward sweep, a VJP one backward sweep.
    public init<Kernel: FieldKernel & Sendable>(
        kernel: Kernel, dimension: Int, parameterCount: Int,
        parameters: @escaping @Sendable (UnsafeBufferPointer<Double>) -> Kernel.Parameters,
        addParameterCotangent: @escaping @Sendable (Kernel.Parameters.TangentVector, UnsafeMutableBufferPointer<Double>) -> Void
    ) {
        kernel.checkFieldCount(dimension)
        self.init(
            dimension: dimension, parameterCount: parameterCount,
            evaluate: { _, y, p, dydt in kernel.apply(to: y, parameters: parameters(p), into: dydt) },
            pullback: { _, y, p, v, yBar, pBar in
                let parameterBar = kernel.overwritePullback(
                    at: y.baseAddress!, y.count, parameters: parameters(p), seed: PullbackSeed(1, v.baseAddress!),
                    over: yBar.baseAddress!, addingTo: nil, from: nil)
                addParameterCotangent(parameterBar, pBar)
            })
        if let band = kernel.jacobianBandwidth, band < dimension - 1 {
            self = withJacobianStructure(.banded(lower: band, upper: band))
        }
    }
}
