import _Differentiation
import CheckpointSchedules
import CheckpointStorage
import Foundation
import Testing
@testable import CheckpointedAD

/// A smooth state, which a shuffling codec compresses.
private func smoothState() -> Vector {
    Vector((0..<2048).map { i in sin(Double(i) * 0.003) + 0.5 * cos(Double(i) * 0.0011) })
}

private let steps = 60

private func tracedOptions() -> CheckpointingOptions {
    var options = CheckpointingOptions()
    options.recordsTrace = true
    return options
}

/// A traced run's storage events carry the facts of the store that served them: the sums
/// over the trace equal the store's own statistics, counted independently inside it.
@Suite struct ScheduleTraceOperationRecordsTests {
    @Test(arguments: [CheckpointCodec.identity, .shuffledZstd(level: 1)])
    func diskEventsAddUpToTheStoresStatistics(codec: CheckpointCodec) throws {
        let scratch = NSTemporaryDirectory()
        let schedule = try TwoLevelRevolve(
            steps: steps, memorySlots: 2, diskSlots: 8, costModel: CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 3]))
        let disk = try FileCheckpointStore<Vector>(capacity: schedule.capacity(of: .disk), directory: scratch, codec: codec)
        let g = try valueWithCheckpointedGradient(at: smoothState(), parameters: 1.3, steps: steps,
            checkpointing: .schedule(schedule, stores: [.disk: disk]), options: tracedOptions(), step: nonlinearStep,
            loss: { $0.halfSquaredNorm() })
        let trace = try #require(g.trace)
        let io = disk.statistics
        let diskStores = trace.events.filter { $0.kind == .store && $0.level == .disk }
        let diskRestores = trace.events.filter { $0.kind == .restore && $0.level == .disk }
        #expect(diskStores.count == io.stores && diskRestores.count == io.restores && io.stores > 0)
        #expect(diskStores.allSatisfy(\.hasStorageFacts) && diskRestores.allSatisfy(\.hasStorageFacts))
        #expect(!trace.events.contains { $0.level == .memory && $0.hasStorageFacts }, "the built-in memory level has no I/O")

        let encoded = diskStores.filter { $0.storedBytes != nil }
        let stored = encoded.compactMap(\.storedBytes).reduce(0, +)
        let raw = encoded.map(\.bytes).reduce(0, +)
        #expect(stored == io.encodedBytesStored && raw == io.rawBytesEncoded)
        #expect(Double(raw) / Double(stored) == io.compressionRatio)
        if codec == .identity { #expect(stored == raw) } else { #expect(Double(raw) / Double(stored) > 1.2) }

        #expect(diskRestores.filter { $0.source == .readAhead }.count == io.restoresFromReadAhead)
        #expect(diskRestores.filter { $0.source == .writeBuffer }.count == io.restoresFromWriteBuffer)
        #expect(abs(diskRestores.compactMap(\.waitSeconds).reduce(0, +) - io.restoreWaitSeconds) <= 1e-12)
        #expect(trace.events.compactMap(\.waitSeconds).reduce(0, +) <= io.waitSeconds + 1e-12)
        #expect(trace.events.compactMap(\.backgroundSeconds).reduce(0, +) <= io.backgroundSeconds + 1e-12)
        #expect(diskRestores.allSatisfy { ($0.waitSeconds ?? 0) <= $0.duration }, "a wait is part of the event")
    }

    /// A read-ahead request is timed apart: it belongs to the restore it prepares, and is
    /// taken out of the event that made it, so events never overlap.
    @Test func readAheadRequestsGoToTheRestoreTheyPrepare() throws {
        let schedule = try TwoLevelRevolve(
            steps: steps, memorySlots: 2, diskSlots: 8, costModel: CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 3]))
        let disk = try FileCheckpointStore<Vector>(capacity: schedule.capacity(of: .disk), directory: NSTemporaryDirectory())
        let g = try valueWithCheckpointedGradient(at: smoothState(), parameters: 1.3, steps: steps,
            checkpointing: .schedule(schedule, stores: [.disk: disk]), options: tracedOptions(), step: nonlinearStep,
            loss: { $0.halfSquaredNorm() })
        let events = try #require(g.trace).events
        let requested = events.filter { $0.readAheadRequestSeconds != nil }
        #expect(requested.allSatisfy { $0.kind == .restore && $0.level == .disk }, "only the disk level has a store to ask")
        #expect(requested.count == events.filter { $0.kind == .restore && $0.level == .disk }.count)
        #expect(disk.statistics.prefetches == disk.statistics.restoresFromReadAhead)
        for (event, next) in zip(events, events.dropFirst()) {
            #expect(event.duration >= 0 && next.start >= event.start + event.duration - 1e-12, "\(event) overlaps \(next)")
        }
    }

    /// A compressed memory level: the trace's ratio is the store's, above 1 for a smooth state.
    @Test func compressedMemoryEventsShowTheCompressionRatio() throws {
        let memory = CompressedMemoryCheckpointStore<Vector>(capacity: 5, codec: .shuffledZstd(level: 1))
        let g = try valueWithCheckpointedGradient(at: smoothState(), parameters: 1.3, steps: steps,
            checkpointing: .schedule(try Revolve(steps: steps, slots: 5), stores: [.memory: memory]),
            options: tracedOptions(), step: nonlinearStep, loss: { $0.halfSquaredNorm() })
        let events = try #require(g.trace).events.filter { $0.kind == .store }
        let raw = events.map(\.bytes).reduce(0, +)
        let stored = events.compactMap(\.storedBytes).reduce(0, +)
        #expect(events.count == memory.statistics.stores && stored == memory.statistics.encodedBytesStored)
        #expect(Double(raw) / Double(stored) == memory.statistics.compressionRatio && memory.statistics.compressionRatio > 1.2)
    }

    /// Calling the pullback twice replays the schedule: the second pass's events get their
    /// own records, and the counts still match the store's.
    @Test func aSecondPassGetsItsOwnRecords() throws {
        let schedule = try TwoLevelRevolve(
            steps: steps, memorySlots: 2, diskSlots: 8, costModel: CostModel(advance: 1, reverse: 2, write: [.disk: 3], read: [.disk: 3]))
        let disk = try FileCheckpointStore<Vector>(capacity: schedule.capacity(of: .disk), directory: NSTemporaryDirectory())
        let driver = try CheckpointedDriver<Vector, Double, Vector, Double>(at: smoothState(), parameters: 1.3,
            steps: steps, checkpointing: .schedule(schedule, stores: [.disk: disk]), options: tracedOptions(),
            step: CheckpointedStep(nonlinearStep))
        let xn = try driver.forward()
        _ = try driver.pullback(xn)
        _ = try driver.pullback(xn)
        let events = try #require(driver.trace).events.filter { $0.level == .disk && $0.kind == .store }
        #expect(events.count == disk.statistics.stores && events.allSatisfy(\.hasStorageFacts))
        #expect(events.compactMap(\.storedBytes).reduce(0, +) == disk.statistics.encodedBytesStored)
    }
}
