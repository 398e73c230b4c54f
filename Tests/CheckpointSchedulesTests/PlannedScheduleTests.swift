import Testing
@testable import CheckpointSchedules

@Suite struct PlannedScheduleTests {
    @Test func replaysTheWrappedScheduleExactly() throws {
        let costs = CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 3])
        let wrapped: [(PlannedSchedule, [CheckpointAction])] = [
            (.storeAll(try StoreAll(steps: 9)), Array(try StoreAll(steps: 9))),
            (.revolve(try Revolve(steps: 30, slots: 3)), Array(try Revolve(steps: 30, slots: 3))),
            (.twoLevel(try TwoLevelRevolve(steps: 30, memorySlots: 2, diskSlots: 3, costModel: costs)),
             Array(try TwoLevelRevolve(steps: 30, memorySlots: 2, diskSlots: 3, costModel: costs))),
        ]
        for (schedule, actions) in wrapped {
            #expect(Array(schedule) == actions)
            for level in StorageLevel.allCases {
                _ = try ScheduleSimulator.run(schedule, costModel: costs)
                #expect(schedule.capacity(of: level) >= 0)
            }
        }
    }
}
