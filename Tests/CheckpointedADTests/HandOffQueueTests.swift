import Testing
@testable import CheckpointedAD

/// The hand-off queue between two real threads: every item arrives once, in order, for
/// every depth, with the giver mixing non-waiting and waiting hand-overs.
@Suite struct HandOffQueueTests {
    @Test(arguments: [1, 2, 3, 8])
    func itemsArriveInOrderAcrossThreads(depth: Int) throws {
        let count = 20_000
        let queue = HandOffQueue<Int>(depth: depth)
        let giver = ReversalThread {
            for i in 0..<count where !queue.tryHandOver(i * 7, step: i) {
                queue.handOver(i * 7, step: i)
            }
        }
        var received = 0
        for i in 0..<count {
            let item = try queue.take()
            if item.step == i && item.element == i * 7 { received += 1 }
        }
        giver.join()
        #expect(received == count)
        #expect(queue.peakCount <= depth)
    }

    @Test func aFailureReachesTheTakerAfterTheItemsBeforeIt() throws {
        let queue = HandOffQueue<Int>(depth: 4)
        let giver = ReversalThread {
            queue.handOver(1, step: 0)
            queue.fail(.negativeStepCount(-1))
        }
        #expect(try queue.take().element == 1)
        #expect(throws: CheckpointingError.negativeStepCount(-1)) { try queue.take() }
        giver.join()
    }
}
