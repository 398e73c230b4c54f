/// Reverses the steps `start ..< end` from a checkpoint of x[start] that is already
/// stored, using only the given free slots: revolve's schedule for that segment, with
/// its slot numbers mapped onto the slots that are actually free.
///
/// This is how online schedules reuse ``Revolve``'s split rule instead of copying it:
/// a ``Revolve/Iterator`` for l = end − start steps and min(f + 1, l) slots is played
/// with its virtual slot 0 mapped to the checkpoint of x[start] and virtual slot v ≥ 1
/// to the v-th free slot; revolve's initial store of x0 becomes a restore of x[start],
/// and its `endForward`/`endReverse` are left to the caller. The checkpoint of x[start]
/// is released by its last restore.
///
/// - Complexity: t(l, f + 1) advances, the least possible; O(f) memory.
struct OnlineSegmentReversal: IteratorProtocol {
    let start: Int
    let startSlot: Int
    let freeSlots: [Int]
    let level: StorageLevel
    let length: Int
    var inner: Revolve.Iterator?
    var singleStepEmitted = 0

    init(start: Int, end: Int, startSlot: Int, freeSlots: [Int], level: StorageLevel) {
        precondition(end > start, "a segment reverses at least one step, got \(start) ..< \(end)")
        self.start = start
        self.startSlot = startSlot
        self.freeSlots = freeSlots
        self.level = level
        length = end - start
        if length >= 2 {
            inner = Revolve.Iterator(steps: length, slots: Swift.min(freeSlots.count + 1, length), level: level)
        }
    }

    func physical(_ virtualSlot: Int) -> Int { virtualSlot == 0 ? startSlot : freeSlots[virtualSlot - 1] }

    mutating func next() -> CheckpointAction? {
        guard inner != nil else {
            // One step: restore its state for the last time and reverse it.
            singleStepEmitted += 1
            switch singleStepEmitted {
            case 1: return .restore(step: start, level: level, slot: startSlot, release: true)
            case 2: return .reverse(step: start)
            default: return nil
            }
        }
        while let action = inner!.next() {
            switch action {
            case .endForward, .endReverse:
                continue
            case let .store(step, _, slot):
                if slot == 0 { return .restore(step: start, level: level, slot: startSlot, release: false) }
                return .store(step: start + step, level: level, slot: physical(slot))
            case let .restore(step, _, slot, release):
                return .restore(step: start + step, level: level, slot: physical(slot), release: release)
            case let .advance(from, to):
                return .advance(from: start + from, to: start + to)
            case let .discard(step, _, slot):
                return .discard(step: start + step, level: level, slot: physical(slot))
            case let .reverse(step):
                return .reverse(step: start + step)
            }
        }
        return nil
    }
}
