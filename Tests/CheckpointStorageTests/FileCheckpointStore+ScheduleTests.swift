import CheckpointSchedules
import CheckpointStorage
import Foundation
import Testing

/// Plays a whole Revolve schedule against file stores (every slot on disk), prefetching
/// each restore as soon as the previous one is done, as the driver does. Every restored
/// state must equal x[step] computed directly (the independent truth), bit for bit.
@Test(arguments: [(30, 4), (60, 6)], [CheckpointCodec.identity, .shuffledZstd(level: 1, xorWithPrevious: true)])
func aRevolveScheduleRunsThroughTheFileStore(shape: (steps: Int, slots: Int), codec: CheckpointCodec) throws {
    func step(_ x: [Double], _ i: Int) -> [Double] { x.enumerated().map { k, v in v * 0.999 + sin(Double(i + k)) * 1e-3 } }
    var truth = [smoothField(500)]
    for i in 0 ..< shape.steps { truth.append(step(truth[i], i)) }

    let actions = Array(try Revolve(steps: shape.steps, slots: shape.slots))
    let restores = actions.indices.filter { if case .restore = actions[$0] { true } else { false } }
    let store = try FileCheckpointStore<[Double]>(capacity: shape.slots, codec: codec, writeBehind: 2, readAhead: 1)
    var current = truth[0], at = 0, reversed = 0
    for (index, action) in actions.enumerated() {
        switch action {
        case let .advance(from, to):
            #expect(from == at)
            for i in from ..< to { current = step(current, i) }
            at = to
        case let .store(s, _, slot):
            try store.store(current, step: s, slot: slot)
        case let .restore(s, _, slot, release):
            current = try store.restore(step: s, slot: slot, release: release)
            #expect(bits(current) == bits(truth[s]), "restore of x\(s)")
            at = s
            if let next = restores.first(where: { $0 > index }), case let .restore(ns, _, nslot, _) = actions[next] {
                store.prefetch(step: ns, slot: nslot)
            }
        case let .reverse(s):
            #expect(s == at && bits(current) == bits(truth[s]))
            reversed += 1
        case .discard:
            Issue.record("revolve never discards a checkpoint unread: \(action)")
        case .endForward, .endReverse:
            break
        }
    }
    #expect(reversed == shape.steps)
    let io = store.statistics
    #expect(io.restores == restores.count && io.stores == actions.filter { if case .store = $0 { true } else { false } }.count)
    #expect(io.prefetches > 0 && io.restoresFromReadAhead + io.restoresFromWriteBuffer > 0)
    store.removeAll()
    #expect(ScratchDirectory.slotFiles(store.directory).isEmpty)
}
