import _Differentiation
import Kernels
import Testing

/// The kernels' cotangent types use −0.0 as their zero so that the optimiser may drop Swift
/// AD's adds of it: the zero must still be the additive identity bit for bit, +0.0 and −0.0
/// included, and equal to a neighbourhood of zeros.
@Suite struct AdditiveZeroTests {
    static let values: [Double] = [0.0, -0.0, 1.5, -2.25, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, .infinity]

    @Test func neighbourhoodZeroIsTheIdentityBitForBit() {
        #expect(Neighbourhood.zero == Neighbourhood(centre: 0))
        for x in Self.values {
            let u = Neighbourhood(minus2: x, minus1: -x, centre: x, plus1: x, plus2: -x)
            let sum = u + .zero
            #expect([sum.minus2, sum.minus1, sum.centre, sum.plus1, sum.plus2].map(\.bitPattern)
                    == [u.minus2, u.minus1, u.centre, u.plus1, u.plus2].map(\.bitPattern), "x = \(x)")
        }
    }

    @Test func gridNeighbourhoodZeroIsTheIdentityBitForBit() {
        #expect(GridNeighbourhood.zero == GridNeighbourhood(centre: 0))
        for x in Self.values {
            let u = GridNeighbourhood(northWest: x, north: -x, northEast: x, west: -x, centre: x, east: x, southWest: -x, south: x, southEast: x)
            let sum = u + .zero
            let bits = { (g: GridNeighbourhood) in
                [g.northWest, g.north, g.northEast, g.west, g.centre, g.east, g.southWest, g.south, g.southEast].map(\.bitPattern)
            }
            #expect(bits(sum) == bits(u), "x = \(x)")
        }
    }

    @Test func sitePairZeroIsTheIdentityBitForBit() {
        #expect(SitePair.zero == SitePair(u: 0, v: 0))
        for x in Self.values {
            let p = SitePair(u: x, v: -x), sum = p + .zero
            #expect(sum.u.bitPattern == p.u.bitPattern && sum.v.bitPattern == p.v.bitPattern, "x = \(x)")
        }
    }
}
