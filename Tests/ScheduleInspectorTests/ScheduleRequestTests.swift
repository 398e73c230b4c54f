import Testing
import CheckpointSchedules
@testable import ScheduleInspector

@Suite struct ScheduleRequestTests {
    @Test func buildsEachScheduleWithinItsBudget() throws {
        let revolve = try ScheduleRequest(kind: .revolve, steps: 50, slots: 7).makeSchedule()
        #expect(revolve is Revolve && revolve.capacity(of: .memory) == 7)
        let storeAll = try ScheduleRequest(kind: .storeAll, steps: 10).makeSchedule()
        #expect(storeAll.capacity(of: .memory) == 9)
        let periodic = try #require(try ScheduleRequest(kind: .periodic, steps: 12, period: 4).makeSchedule() as? Periodic)
        #expect(periodic.period == 4)
    }

    @Test func periodicPicksTheFastestFittingPeriodByBruteForce() throws {
        for n in 1...40 {
            let minimum = (1...n).map { k in (n + k - 1) / k + max(0, k - 2) }.min()!
            #expect(ScheduleRequest.periodicMinimumSlots(steps: n) == minimum, "n = \(n)")
            for s in 1...12 {
                // Brute force: every period whose declared slots fit, and its simulated advances.
                var fitting: [(advances: Int, slots: Int)] = []
                for k in 1...n {
                    let schedule = try Periodic(steps: n, period: k)
                    let stats = try ScheduleSimulator.run(schedule)
                    #expect(stats.totalPeakSlots <= schedule.capacity(of: .memory))
                    if schedule.capacity(of: .memory) <= s { fitting.append((stats.advances, stats.totalPeakSlots)) }
                }
                let chosen = ScheduleRequest.periodicFitting(steps: n, slots: s)
                #expect((chosen == nil) == fitting.isEmpty, "n = \(n), s = \(s)")
                if let chosen {
                    let stats = try ScheduleSimulator.run(chosen)
                    #expect(stats.advances == fitting.map(\.advances).min(), "n = \(n), s = \(s)")
                    #expect(chosen.capacity(of: .memory) <= s)
                }
            }
        }
    }

    @Test func badRequestsSayWhatToPass() {
        func message(_ request: ScheduleRequest) -> String? {
            do { _ = try request.makeSchedule(); return nil } catch { return error.description }
        }
        #expect(message(ScheduleRequest(kind: .revolve, steps: 0, slots: 3))?.contains("got 0") == true)
        #expect(message(ScheduleRequest(kind: .revolve, steps: 10, slots: -2))?.contains("got -2") == true)
        #expect(message(ScheduleRequest(kind: .revolve, steps: 10))?.contains("--slots") == true)
        #expect(message(ScheduleRequest(kind: .storeAll, steps: 100, slots: 10))
            == "store-all needs 99 slots for 100 steps but the budget is 10; pass --slots 99 or more, or use --schedule revolve")
        #expect(message(ScheduleRequest(kind: .periodic, steps: 100, slots: 5))?.contains("needs 18 slots") == true)
        #expect(message(ScheduleRequest(kind: .periodic, steps: 100, slots: 5, period: 0))?.contains("period") == true)
        for description in [message(ScheduleRequest(kind: .revolve, steps: 0, slots: 3)), message(ScheduleRequest(kind: .revolve, steps: 10))] {
            #expect(description?.contains("\n") == false)
        }
    }
}
