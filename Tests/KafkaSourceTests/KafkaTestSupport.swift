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
