import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct TimelineTests {
    @Test func revolveTakesTAdvancesPlusNReversesOfTime() throws {
        for (n, s) in [(1, 1), (10, 3), (50, 7), (333, 9)] {
            let timeline = Timeline(try Revolve(steps: n, slots: s))
            #expect(timeline.totalTime == (try BinomialCheckpointing.minimalAdvances(steps: n, slots: s)) + n)
            try checkPlacement(timeline)
        }
    }

    @Test func placesEveryKindOfScheduleIncludingDiscardsAndDisk() throws {
        try checkPlacement(Timeline(try OnlineScheduleReplay(OnlineStummWalther(slots: 4), steps: 40)))
        try checkPlacement(Timeline(try TwoLevelRevolve(steps: 40, memorySlots: 2, diskSlots: 4)))
        try checkPlacement(Timeline(try Periodic(steps: 17, period: 5)))
    }

    func checkPlacement(_ timeline: Timeline<some CheckpointSchedule>) throws {
        do {
            let n = timeline.steps
            let marks = Array(timeline)
            #expect(marks.count == timeline.statistics.actions)
            var time = 0
            for (i, mark) in marks.enumerated() {
                #expect(mark.index == i && mark.time == time)
                time += mark.duration
                switch mark.action {
                case let .advance(from, to): #expect(mark.fromStep == from && mark.toStep == to && mark.duration == to - from)
                case let .reverse(step): #expect(mark.fromStep == step + 1 && mark.toStep == step && mark.duration == 1)
                case let .store(step, level, _), let .restore(step, level, _, _), let .discard(step, level, _):
                    #expect(mark.fromStep == step && mark.level == level && mark.duration == 0)
                case .endForward, .endReverse: #expect(mark.fromStep == 0 && mark.toStep == n)
                }
            }
            #expect(time == timeline.totalTime)
        }
    }

    @Test func ticksAreRound() {
        #expect(AxisTicks.ticks(upTo: 155, count: 10) == [0, 20, 40, 60, 80, 100, 120, 140])
        #expect(AxisTicks.ticks(upTo: 10, count: 5) == [0, 2, 4, 6, 8, 10])
        #expect(AxisTicks.ticks(upTo: 0, count: 5) == [0])
        #expect(AxisTicks.ticks(upTo: 46_360, count: 10) == Array(stride(from: 0, through: 46_360, by: 5000)))
    }
}
