/// A text stream that remembers its first failed write, so that a long listing stops at a
/// full disk or a closed pipe instead of computing output nobody receives.
///
/// `TextOutputStream.write` cannot throw; a checked stream records the failure, drops
/// what follows, and reports it through ``failure``. ``ActionListing`` polls it while it
/// streams; the writer's owner checks it once more after the final flush.
public protocol CheckedTextOutputStream: TextOutputStream {
    /// The first write that failed, or nil while every byte has gone out.
    var failure: InspectorError? { get }
}
