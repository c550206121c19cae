import Foundation
import KafkaSource
import StreamCore
import StreamTestSupport

/// Writes `values` to `topic` through a one-batch pipeline and its Kafka sink.
func produce(
    _ values: [String], to topic: String, with configuration: KafkaConfiguration,
    keyedBy key: (@Sendable (String) -> String)? = nil
)
    async throws
{
    let clock = ManualClock()
    let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
    try context.stream(from: QueueSource([values])).saveToKafka(configuration) { value in
        KafkaProducerRecord(topic: topic, key: key?(value), value: value)
    }
    try context.start()
    await clock.advance(by: .seconds(1))
    await context.stop(gracefully: false)
    try await context.awaitTermination()
}

/// Runs a pipeline over a Kafka source for `batches` batches and returns each batch's output.
func runBatches<Output: Sendable>(
    _ batches: Int, source: KafkaDirectSource, checkpoint: String? = nil, name: String = "tweets",
    listener: (any StreamingListener)? = nil,
    _ build: (DStream<KafkaRecord>) throws -> DStream<Output>
) async throws -> [[Output]] {
    let clock = ManualClock()
    let log = BatchLog<Output>()
    let context = try StreamingContext.getOrCreate(checkpoint: checkpoint ?? temporaryDirectory()) {
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        try build(context.stream(from: source, name: name)).foreachBatch { batch, _ in log.append(batch.records) }
        return context
    }
    if let listener { context.addListener(listener) }
    try context.start()
    for _ in 0..<batches { await clock.advance(by: .seconds(1)) }
    await context.stop(gracefully: false)
    try await context.awaitTermination()
    return log.batches
}

/// One member of a consumer group keeping running word totals across the group
/// (`KafkaGroupState`): it prints, each batch, the totals of the words its tasks own.
final class WordTotalsMember: @unchecked Sendable {
    let source: KafkaDirectSource
    let clock = ManualClock()
    let context: StreamingContext
    let totals = BatchLog<(Word, Int)>()

    init(_ configuration: KafkaConfiguration, topic: String) throws {
        source = KafkaDirectSource(
            configuration, options: .init(topics: [topic], startingOffsets: .earliest, assignment: .consumerGroup))
        let state = try KafkaGroupState<Word, Int>(
            configuration, application: configuration.groupID ?? "word-totals", source: source, reduce: +)
        context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        try context.stream(from: source).reduceByKey(across: state) { record, emit in
            Word.forEachWord(in: record.valueText ?? "") { emit($0, 1) }
        }.foreachBatch { [totals] batch, _ in totals.append(batch.records) }
        try context.start()
    }

    func runBatch() async {
        await clock.advance(by: .seconds(1))
    }

    /// The totals this member printed last.
    var latest: [Word: Int] { Dictionary(uniqueKeysWithValues: totals.batches.last ?? []) }
}

/// Each word's count in `lines`, split as the pipelines split them.
func wordCounts(_ lines: [String]) -> [Word: Int] {
    lines.flatMap { Word.split($0) }.reduce(into: [:]) { $0[$1, default: 0] += 1 }
}
