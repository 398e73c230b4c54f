/// The steps a solve took: the start time t_i and size h_i of step i, for i = 0 ..< n.
///
/// A fixed-step grid is computed (t_i = t₀ + i·h); an adaptive one is the recorded sequence
/// of accepted steps, replayed exactly by every recomputation so that a checkpointed
/// gradient reproduces the forward pass bit for bit. Its bytes count against the memory
/// budget (``recordedBytes``).
public struct StepGrid: Hashable, Sendable {
    enum Storage: Hashable, Sendable {
        case uniform(start: Double, size: Double)
        case recorded(times: [Double], sizes: [Double])
    }

    let storage: Storage
    /// n: the number of steps.
    public let count: Int

    /// n equal steps of size h from t₀.
    public init(start: Double, size: Double, count: Int) {
        precondition(count >= 1 && size.isFinite && size != 0, "a uniform grid needs count ≥ 1 and a finite non-zero size, got \(count) and \(size)")
        storage = .uniform(start: start, size: size)
        self.count = count
    }

    /// Recorded steps: `times` has n + 1 entries (the last is the end time), `sizes` n.
    public init(times: [Double], sizes: [Double]) {
        precondition(sizes.count >= 1 && times.count == sizes.count + 1, "a recorded grid needs n ≥ 1 sizes and n + 1 times, got \(sizes.count) and \(times.count)")
        storage = .recorded(times: times, sizes: sizes)
        count = sizes.count
    }

    /// t_i, the start of step i (t_n is the end of the last step).
    public func time(_ i: Int) -> Double {
        switch storage {
        case let .uniform(start, size): start + Double(i) * size
        case let .recorded(times, _): times[i]
        }
    }

    /// h_i, the size of step i.
    public func size(_ i: Int) -> Double {
        switch storage {
        case let .uniform(_, size): size
        case let .recorded(_, sizes): sizes[i]
        }
    }

    /// Whether the steps were recorded by an adaptive solve.
    public var isRecorded: Bool {
        if case .recorded = storage { true } else { false }
    }

    /// The bytes the recorded sequence occupies (0 for a uniform grid).
    public var recordedBytes: Int {
        isRecorded ? (2 * count + 1) * MemoryLayout<Double>.stride : 0
    }

    /// The index k with t_k = `time`, or `nil`. On a uniform grid a time within
    /// 10⁻⁹·|h| of a grid point matches it; on a recorded grid the match is exact.
    public func index(of time: Double) -> Int? {
        switch storage {
        case let .uniform(start, size):
            let k = ((time - start) / size).rounded()
            guard k >= 0, k <= Double(count), abs(start + k * size - time) <= 1e-9 * abs(size) else { return nil }
            return Int(k)
        case let .recorded(times, _):
            var low = 0
            var high = times.count - 1
            let increasing = times[high] >= times[0]
            while low <= high {
                let mid = (low + high) / 2
                if times[mid] == time { return mid }
                if (times[mid] < time) == increasing { low = mid + 1 } else { high = mid - 1 }
            }
            return nil
        }
    }
}
