import StreamCore

/// A record to write to Kafka.
public struct KafkaProducerRecord: Sendable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]?

    public init(topic: String, key: [UInt8]? = nil, value: [UInt8]?) {
        self.topic = topic
        self.key = key
        self.value = value
    }

    /// A record with UTF-8 text as key and value.
    public init(topic: String, key: String? = nil, value: String) {
        self.init(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8))
    }
}

extension DStream {
    /// Writes every record to Kafka, to the topic `record` chooses for it (a tutorial routes
    /// AI tweets and other tweets to two topics this way).
    ///
    /// The producer is idempotent; a batch counts as done only when every record's delivery
    /// was confirmed, and a failed delivery fails the batch with its error (never a silent
    /// loss). A re-run batch (after a restart) writes its records again: at-least-once.
    /// - Throws: `KafkaError` now if the configuration is refused; later, from the batch.
    public func saveToKafka(
        _ configuration: KafkaConfiguration, name: String = "kafka", deliveryTimeout: Duration = .seconds(60),
        _ record: @escaping @Sendable (Element) throws -> KafkaProducerRecord
    ) throws {
        let producer = try KafkaProducer(configuration)
        try foreachBatch(name: name) { batch, _ in
            try producer.send(try batch.records.map(record), timeout: deliveryTimeout)
        }
    }
}
