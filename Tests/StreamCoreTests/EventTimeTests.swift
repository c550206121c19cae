import StreamCore
import StreamTestSupport
import Testing

/// Windows of event time with a watermark, as Spark Structured Streaming defines them. Each
/// record here is its own event time in milliseconds; the aggregate counts records.
@Suite("Event-time windows")
struct EventTimeTests {
    /// Batch 1 sets the watermark to 12 s − 5 s = 7 s; in batch 2, 8 s is late but within the
    /// watermark (it still counts), 6 s is too late; batch 2 moves the watermark to 20 s, so in
    /// batch 3, 15 s is too late and the windows ending by 20 s close.
    let batches: [[Int64]] = [[1000, 2000, 12_000], [8000, 6000, 25_000], [15_000, 21_000], []]

    func run(_ mode: EventTimeOutputMode, length: Duration = .seconds(10), slide: Duration? = nil)
        async throws -> (outputs: [[String]], refused: [[String: Int]], open: [[EventTimeWindow]])
    {
        let clock = ManualClock()
        let context = StreamingContext(
            batchInterval: .seconds(1), clock: clock, checkpoint: try CheckpointStore(directory: temporaryDirectory()))
        let listener = RecordingListener()
        context.addListener(listener)
        let counts = try context.stream(from: QueueSource(batches)).aggregateByEventTime(
            name: "per-window", eventTime: { $0 }, length: length, slide: slide, watermarkDelay: .seconds(5),
            outputMode: mode, zero: 0, add: { count, _ in count + 1 }, merge: +)
        let outputs = BatchLog<String>()
        let open = BatchLog<[EventTimeWindow]>()
        try counts.foreachBatch { batch, _ in
            outputs.append([batch.records.map { "\($0.0.start / 1000)-\($0.0.end / 1000):\($0.1)" }.joined(separator: " ")])
            open.append([counts.openWindows])
        }
        try context.start()
        for _ in batches { await clock.advance(by: .seconds(1)) }
        await context.stop(gracefully: false)
        return (
            outputs.batches.map { $0 }, listener.completed.map { $0.refusedRecords["per-window"] ?? [:] },
            open.batches.map { $0[0] }
        )
    }

    @Test func updateModeEmitsChangedWindowsAndDropsLateRecords() async throws {
        let (outputs, refused, open) = try await run(.update)
        #expect(outputs == [["0-10:2 10-20:1"], ["0-10:3 20-30:1"], ["20-30:2"], [""]])
        #expect(refused == [[:], ["late": 1], ["late": 1], [:]])
        // Closed windows leave the state: after batch 3 only [20 s, 30 s) is open.
        #expect(open.map { $0.map(\.start) } == [[0, 10_000], [0, 10_000, 20_000], [20_000], [20_000]])
    }

    @Test func appendModeEmitsEachWindowOnceWhenTheWatermarkPassesIt() async throws {
        let (outputs, _, _) = try await run(.append)
        #expect(outputs == [[""], [""], ["0-10:3 10-20:1"], [""]])
    }

    @Test func slidingWindowsCountARecordInEachWindowThatHoldsIt() async throws {
        let (outputs, _, _) = try await run(.update, length: .seconds(10), slide: .seconds(5))
        #expect(outputs[0] == ["-5-5:2 0-10:2 5-15:1 10-20:1"])
    }

    @Test func aSlideLongerThanTheWindowIsRefused() throws {
        let context = StreamingContext(batchInterval: .seconds(1))
        #expect(throws: StreamingError.self) {
            try context.stream(from: QueueSource([[Int64]]())).aggregateByEventTime(
                eventTime: { $0 }, length: .seconds(5), slide: .seconds(10), watermarkDelay: .zero,
                zero: 0, add: { c, _ in c + 1 }, merge: +)
        }
    }
}
