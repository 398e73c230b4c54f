@testable import CheckpointStorage
import Glibc
import Testing

/// The owner record: its text, its parser, and when an owner counts as gone.
@Suite struct CheckpointRunOwnerTests {
    let me = CheckpointRunOwner.current

    @Test func theRecordRoundTrips() throws {
        #expect(try CheckpointRunOwner(recordText: me.recordText) == me)
        #expect(me.processID == getpid())
        #expect(me.startTime > 0 && !me.bootID.isEmpty && !me.pidNamespace.isEmpty, "Linux has /proc: \(me)")
    }

    @Test(arguments: [
        ("hello\n", "not a Rewind owner record"),
        ("rewind-checkpoint-owner 1\nstart 5\nboot b\nhost h\npidns p\n", "no 'pid' line"),
        ("rewind-checkpoint-owner 1\npid -3\nstart 5\nboot b\nhost h\npidns p\n", "pid is not a positive process ID"),
        ("rewind-checkpoint-owner 1\npid 3\nstart soon\nboot b\nhost h\npidns p\n", "start time is not a number"),
        ("rewind-checkpoint-owner 1\npid 3\nstart 5\nhost h\npidns p\n", "no 'boot' line"),
    ])
    func aMalformedRecordIsRejectedNamingTheField(_ text: String, _ expected: String) {
        #expect {
            _ = try CheckpointRunOwner(recordText: text)
        } throws: { error in
            (error as? CheckpointStoreError)?.description.contains(expected) == true
        }
    }

    @Test func theStartTimeIsField22CountedAfterTheLastParenthesis() {
        let line = "42 (a) b) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 777 0 0"
        #expect(CheckpointRunOwner.parseStartTime(statLine: line) == 777)
        #expect(CheckpointRunOwner.parseStartTime(statLine: "42 (short) S 1") == nil)
        #expect(CheckpointRunOwner.startTime(of: getpid()) == me.startTime)
    }

    @Test func thisProcessIsAlive() {
        #expect(me.liveness(comparedWith: me) == .alive)
    }

    @Test func anOwnerIsGoneOnlyWhenThatIsKnown() {
        var owner = me
        owner.processID = 4_000_000
        #expect(owner.liveness(comparedWith: me, startTimeOf: { _ in nil }) == .gone(reason: "pid 4000000 has ended"))
        owner = me
        owner.startTime += 1  // the ID was reused by a newer process
        guard case .gone = owner.liveness(comparedWith: me) else { Issue.record("a reused pid is a gone owner"); return }
        owner = me
        owner.bootID = "an-earlier-boot"
        guard case .gone = owner.liveness(comparedWith: me) else { Issue.record("an earlier boot's owner is gone"); return }
        owner = me
        owner.hostName = "another-host"
        guard case .unknown = owner.liveness(comparedWith: me, startTimeOf: { _ in nil }) else { Issue.record("another host cannot be checked"); return }
        owner = me
        owner.pidNamespace = "pid:[1]"
        guard case .unknown = owner.liveness(comparedWith: me, startTimeOf: { _ in nil }) else { Issue.record("another container cannot be checked"); return }
    }
}
