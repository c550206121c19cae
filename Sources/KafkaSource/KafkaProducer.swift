/// Writes records to Kafka and confirms them: `send` returns once every record's delivery
/// was acknowledged, and throws the first failure. Idempotent unless configured otherwise.
///
/// - Important: `send` blocks while waiting: call it from a thread of your own (or from
///   `foreachBatch`, which runs on the scheduler's thread), not from Swift's cooperative pool.
///
/// Sendable: its only state is the producer, which is Sendable on the terms below.
public final class KafkaProducer: @unchecked Sendable {
    private let producer: RDKafkaProducer

    /// - Throws: `KafkaError` if librdkafka refuses the configuration.
    public init(_ configuration: KafkaConfiguration) throws {
        var properties = configuration.librdkafkaProperties
        properties["group.id"] = nil  // a consumer property
        producer = try RDKafkaProducer(properties: properties)
    }

    /// Creates the topics that do not exist yet, each with `partitions` partitions and the
    /// broker's default replication (Kafka's admin API); existing ones are left as they are.
    /// - Throws: `KafkaError` if the broker refuses or does not answer in `timeout`.
    public func createTopics(_ topics: [String], partitions: Int, timeout: Duration = .seconds(10)) throws {
        try producer.createTopics(topics, partitions: partitions, timeout: timeout)
    }

    /// Sends `records` and waits for their delivery reports.
    /// - Throws: `KafkaError` for the first record that could not be delivered in `timeout`.
    public func send(_ records: [KafkaProducerRecord], timeout: Duration = .seconds(60)) throws {
        try producer.send(records.map { ($0.topic, nil, $0.key, $0.value) }, timeout: timeout)
    }
}
