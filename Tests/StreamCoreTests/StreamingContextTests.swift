import Foundation
import StreamCore
import StreamTestSupport
import Testing

@Suite("StreamingContext: lifecycle, validation and failures")
struct StreamingContextTests {
    /// A context on a manual clock with one queued input stream.
    func makeContext(
        _ batches: [[String]] = [], checkpoint: Bool = false, configure: (inout StreamingContext.Configuration) -> Void = { _ in }
    ) throws -> (StreamingContext, ManualClock, DStream<String>) {
        var configuration = StreamingContext.Configuration()
        configure(&configuration)
        let clock = ManualClock()
        let context = StreamingContext(
            batchInterval: .seconds(1), clock: clock,
            checkpoint: checkpoint ? try CheckpointStore(directory: temporaryDirectory()) : nil,
            configuration: configuration)
        return (context, clock, context.stream(from: QueueSource(batches)))
    }

    @Test func wordCountOverThreeBatches() async throws {
        let (context, clock, lines) = try makeContext([["to be or", "not to be"], [], ["be quick"]])
        let seen = BatchLog<(Word, Int)>()
        try lines.flatMap(Word.split).map { ($0, 1) }.reduceByKey(+).foreachBatch { batch, _ in
            seen.append(sortedByKey(batch.records))
        }
        try context.start()
        await clock.advance(by: .seconds(3))

        let batches = seen.batches.map { $0.map { "\($0.0)=\($0.1)" } }
        #expect(batches == [["be=2", "not=1", "or=1", "to=2"], [], ["be=1", "quick=1"]])
        await context.stop()
    }

    @Test func batchTimesFollowTheInterval() async throws {
        let (context, clock, lines) = try makeContext()
        let times = BatchLog<BatchTime>()
        try lines.foreachBatch { _, time in times.append([time]) }
        try context.start()
        await clock.advance(by: .seconds(3))
        #expect(times.batches.flatMap { $0 }.map(\.milliseconds) == [1000, 2000, 3000])
        #expect(times.batches.flatMap { $0 }.map(context.batchIndex(at:)) == [1, 2, 3])
        await context.stop()
    }

    @Test func startingTwiceIsAnError() async throws {
        let (context, _, lines) = try makeContext()
        try lines.print()
        try context.start()
        #expect(throws: StreamingError.self) { try context.start() }
        await context.stop()
    }

    @Test func aPipelineWithoutOutputsCannotStart() throws {
        let (context, _, lines) = try makeContext()
        _ = lines.map { $0.count }
        let error = #expect(throws: StreamingError.self) { try context.start() }
        #expect(error?.description.contains("no output operation") == true)
    }

    @Test func statefulOperatorsNeedACheckpointStore() throws {
        let (context, _, lines) = try makeContext()
        try lines.map { ($0, 1) }.updateStateByKey(name: "totals") { (new: [Int], old: Int?) in (old ?? 0) + new.count }.print()
        let error = #expect(throws: StreamingError.self) { try context.start() }
        #expect(error?.description.contains("updateStateByKey 'totals'") == true)
        #expect(error?.description.contains("checkpoint") == true)
    }

    @Test func outputsCannotBeAddedAfterStart() async throws {
        let (context, _, lines) = try makeContext()
        try lines.print()
        try context.start()
        #expect(throws: StreamingError.self) { try lines.count().print() }
        await context.stop()
    }

    @Test func aThrowingClosureFailsItsBatchAndStopsTheContext() async throws {
        struct Malformed: Error {}
        let (context, clock, lines) = try makeContext([["1", "2"], ["3", "x"], ["5"]])
        let listener = RecordingListener()
        context.addListener(listener)
        let sums = BatchLog<Int>()
        try lines.map { line -> Int in
            guard let n = Int(line) else { throw Malformed() }
            return n
        }.reduce(+).foreachBatch { batch, _ in sums.append(batch.records) }
        try context.start()
        await clock.advance(by: .seconds(3))

        await #expect(throws: StreamingError.self) { try await context.awaitTermination() }
        #expect(sums.batches == [[3]])
        let failed = listener.completed.last
        #expect(failed?.index == 2)
        #expect(failed?.failure?.description.contains("batch 2000 ms failed in map 'source/map': Malformed()") == true)
        #expect(context.isStopped)
    }

    @Test func aThrowingCombineAmongManyRecordsFailsItsBatchNamingReduceByKey() async throws {
        struct Overflow: Error {}
        let words = (0..<500).map { "w\($0 % 20)" }
        let (context, clock, lines) = try makeContext([words])
        let listener = RecordingListener()
        context.addListener(listener)
        try lines.map { ($0, 1) }.reduceByKey { a, b in
            guard a + b < 20 else { throw Overflow() }
            return a + b
        }.print()
        try context.start()
        await clock.advance(by: .seconds(1))

        await #expect(throws: StreamingError.self) { try await context.awaitTermination() }
        #expect(
            listener.completed.last?.failure?.description.contains("reduceByKey 'source/map/reduceByKey': Overflow()") == true)
    }

    @Test func errorsNameTheOperatorTheUserCalled() throws {
        let (context, _, lines) = try makeContext()
        try lines.countByWindow(length: .seconds(2)).print()
        let error = #expect(throws: StreamingError.self) { try context.start() }
        #expect(error?.description.hasPrefix("countByWindow 'source/countByWindow(2,1)'") == true)
    }

    @Test func keyedWindowsOfNonCodableValuesNeedNoCheckpoint() async throws {
        struct Reading: Sendable { var celsius: Double }
        let (context, clock, lines) = try makeContext([["a"], ["a", "b"]])
        let seen = BatchLog<String>()
        try lines.map { ($0, Reading(celsius: 1)) }
            .reduceByKeyAndWindow({ Reading(celsius: $0.celsius + $1.celsius) }, length: .seconds(2))
            .foreachBatch { batch, _ in seen.append(batch.records.map { "\($0.0)=\($0.1.celsius)" }.sorted()) }
        try context.start()
        await clock.advance(by: .seconds(2))
        await context.stop()
        #expect(seen.batches == [["a=1.0"], ["a=2.0", "b=1.0"]])
    }

    @Test func aWindowOfNonCodableValuesRefusesACheckpointAndSaysWhy() throws {
        struct Reading: Sendable { var celsius: Double }
        let (context, _, lines) = try makeContext(checkpoint: true)
        try lines.map { ($0, Reading(celsius: 1)) }.groupByKeyAndWindow(length: .seconds(2)).print()
        let error = #expect(throws: StreamingError.self) { try context.start() }
        #expect(error?.description.contains("is not Codable, cannot be checkpointed") == true)
    }

    @Test func stopsAfterConsecutiveIdleBatches() async throws {
        let (context, clock, lines) = try makeContext([["a"], [], ["b"]]) { $0.stopAfterIdleBatches = 2 }
        let seen = BatchLog<String>()
        try lines.foreachBatch { batch, _ in seen.append(batch.records) }
        try context.start()
        await clock.advance(by: .seconds(10))
        #expect(try await context.awaitTermination(timeout: .seconds(10)))
        #expect(seen.batches == [["a"], [], ["b"], [], []])
    }

    @Test func aGracefulStopProcessesWhatWasReceived() async throws {
        let (context, _, lines) = try makeContext([["a"], ["b"], ["c"]])
        let seen = BatchLog<String>()
        try lines.foreachBatch { batch, _ in seen.append(batch.records) }
        try context.start()
        await context.stop(gracefully: true)
        #expect(seen.batches == [["a"], ["b"], ["c"]])
    }

    @Test func listenersSeeRecordsInAndOut() async throws {
        let (context, clock, lines) = try makeContext([["a b", "c"], []])
        let listener = RecordingListener()
        context.addListener(listener)
        try lines.flatMap(Word.split).count().foreachBatch(name: "words") { _, _ in }
        try context.start()
        await clock.advance(by: .seconds(2))
        await context.stop()

        #expect(listener.completed.map(\.totalInputRecords) == [2, 0])
        #expect(listener.completed.map { $0.outputRecords["words"] } == [1, 1])
        #expect(listener.completed.map(\.index) == [1, 2])
        #expect(listener.completed.allSatisfy { $0.failure == nil })
    }

    @Test func theSystemClockRunsBatchesByItself() async throws {
        var configuration = StreamingContext.Configuration()
        configuration.stopAfterIdleBatches = 1
        let context = StreamingContext(batchInterval: .milliseconds(20), configuration: configuration)
        let seen = BatchLog<String>()
        try context.stream(from: QueueSource([["a"], ["b"]])).foreachBatch { batch, _ in seen.append(batch.records) }
        try context.start()
        #expect(try await context.awaitTermination(timeout: .seconds(30)))
        #expect(seen.batches == [["a"], ["b"], []])
    }
}
