import Foundation
import StreamCore
import StreamTestSupport

/// Runs a pipeline over queued batches on a manual clock and returns what its output saw in
/// each batch: the way to unit-test a pipeline on recorded data.
///
/// - Parameters:
///   - batches: the input, one array per batch.
///   - total: how many batches to run (empty ones pad the end so windows drain).
///   - build: makes the stream to observe from the input stream.
func replay<Input: Sendable, Output: Sendable>(
    _ batches: [[Input]], total: Int? = nil, interval: Duration = .seconds(1),
    _ build: (DStream<Input>) throws -> DStream<Output>
) async throws -> [[Output]] {
    let clock = ManualClock()
    let context = StreamingContext(
        batchInterval: interval, clock: clock, checkpoint: try CheckpointStore(directory: temporaryDirectory()))
    let input = context.stream(from: QueueSource(batches))
    let seen = BatchLog<Output>()
    try build(input).foreachBatch { batch, _ in seen.append(batch.records) }
    try context.start()
    for _ in 0..<(total ?? batches.count) { await clock.advance(by: interval) }
    await context.stop(gracefully: false)
    return seen.batches
}

/// Runs a pipeline like `replay`, but through `print`, and returns each batch's printed
/// record lines (Spark's text form: tuples as `(a,b)`).
func printed<Input: Sendable, Output: Sendable>(
    _ batches: [[Input]], _ build: (DStream<Input>) throws -> DStream<Output>
) async throws -> [[String]] {
    let text = BatchLog<String>()
    _ = try await replay(batches) { input in
        let output = try build(input)
        try output.print(1000) { text.append([$0]) }
        return output
    }
    return text.batches.map { batch in
        batch.joined().split(separator: "\n").dropFirst(3).map(String.init)
    }
}
