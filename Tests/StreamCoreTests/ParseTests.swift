import Foundation
import Locking
import StreamCore
import StreamTestSupport
import Testing

/// Parsing records that may be bad: `parse` keeps what parses, counts and dead-letters the
/// rest, and runs once per batch however many outputs read it.
@Suite("Parsing and caching")
struct ParseTests {
    /// Counts calls from any thread (a `Locked` value, which the Thread Sanitizer sees).
    final class Calls: Sendable {
        private let value = Locked(0)
        func record() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    /// A parser that refuses what is not a number, and counts how often it runs.
    final class NumberParser: Sendable {
        let calls = Calls()

        func parse(_ text: String) throws(RecordRejection) -> Int {
            calls.record()
            if text.isEmpty { throw RecordRejection(kind: "empty", reason: "an empty record") }
            guard let number = Int(text) else { throw RecordRejection(kind: "not_a_number", reason: "'\(text)' is not a number") }
            return number
        }
    }

    @Test func refusedRecordsAreCountedByKindAndReachTheDeadLetter() async throws {
        let parser = NumberParser()
        let listener = RecordingListener()
        let deadLetters = BatchLog<String>()
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        context.addListener(listener)
        let numbers = context.stream(from: QueueSource([["1", "x", "2", ""], ["3"]])).parse(
            "numbers",
            deadLetter: { rejected, _ in
                deadLetters.append(rejected.map { "\($0.record) → \($0.rejection.kind)" })
            }, parser.parse)
        let sums = BatchLog<Int>()
        let counts = BatchLog<Int>()
        try numbers.reduce(+).foreachBatch { batch, _ in sums.append(batch.records) }
        try numbers.count().foreachBatch { batch, _ in counts.append(batch.records) }
        try context.start()
        for _ in 0..<2 { await clock.advance(by: .seconds(1)) }
        await context.stop(gracefully: false)

        #expect(sums.batches == [[3], [3]])
        #expect(counts.batches == [[2], [1]])
        #expect(deadLetters.batches == [["x → not_a_number", " → empty"]])
        #expect(listener.completed.map { $0.refusedRecords["numbers"] ?? [:] } == [["not_a_number": 1, "empty": 1], [:]])
        #expect(parser.calls.count == 5, "two outputs, yet each record parsed once")
    }

    @Test func aFailingDeadLetterFailsTheBatch() async throws {
        struct DiskFull: Error {}
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        try context.stream(from: QueueSource([["x"]]))
            .parse("numbers", deadLetter: { _, _ in throw DiskFull() }, NumberParser().parse)
            .foreachBatch { _, _ in }
        try context.start()
        await clock.advance(by: .seconds(1))
        await #expect(throws: StreamingError.self) { try await context.awaitTermination() }
    }

    @Test func cacheComputesOnceForEveryConsumer() async throws {
        let calls = Calls()
        let out = try await replay([["a", "b"]]) { lines in
            let upper = lines.map { line in
                calls.record()
                return line.uppercased()
            }.cache()
            return try upper.union(upper)
        }
        #expect(out[0].sorted() == ["A", "A", "B", "B"])
        #expect(calls.count == 2)
    }
}
