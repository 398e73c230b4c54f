/// Sums whose result does not depend on how many ranks computed their terms.
///
/// Floating-point addition is not associative, so a sum of partial sums depends on where
/// the partition cut the terms. The scheme here removes the dependence: every term is
/// computed by exactly one rank with the same operations whatever the partition (a row's
/// term is the row's sum in column order, and strips hold whole rows), the terms travel to
/// rank 0 in rank order, which for strips is global row order, rank 0 adds them one after
/// another, and broadcasts the result. For P = 1, 2, 3, 4 … the same terms are added in the
/// same order, so the sum is the same bits.
///
/// ```swift
/// let rowTerms = (0..<strip.rows).map { r in FixedOrderSum.sum(row(r)) }
/// let total = FixedOrderSum.sum(rowTerms, across: .world)   // same bits for every P
/// ```
///
/// - Complexity: one gather of the terms (rows of the global grid, not cells) and one
///   broadcast of one double.
public enum FixedOrderSum {
    /// Σ values in index order with one running sum (start 0, add each in turn).
    @inlinable
    public static func sum(_ values: some Sequence<Double>) -> Double {
        var total = 0.0
        for value in values { total += value }
        return total
    }

    /// The sum of every rank's `terms`, concatenated in rank order, added in that order on
    /// rank 0 and broadcast: the same value on every rank, and for terms computed
    /// independently of the partition, the same bits for every rank count.
    public static func sum(_ terms: [Double], across communicator: Communicator) -> Double {
        let gathered = communicator.gather(terms, root: 0)
        let total = gathered.map { sum($0) } ?? 0
        return communicator.broadcast([total], root: 0)[0]
    }
}
