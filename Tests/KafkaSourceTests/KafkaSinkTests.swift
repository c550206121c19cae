import KafkaSource
import StreamCore
import StreamTestSupport
import Testing

@Suite("Kafka sink")
struct KafkaSinkTests {
    @Test func recordsAreRoutedToTheTopicTheirContentChooses() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("ai-tweets", partitions: 1)
        try broker.createTopic("other-tweets", partitions: 1)
        let tweets = ["new #AI model", "lunch", "#ai ethics", "weather"]
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        try context.stream(from: QueueSource([tweets])).saveToKafka(broker.configuration()) { tweet in
            KafkaProducerRecord(topic: tweet.lowercased().contains("#ai") ? "ai-tweets" : "other-tweets", value: tweet)
        }
        try context.start()
        await clock.advance(by: .seconds(1))
        await context.stop()

        func read(_ topic: String) async throws -> [String] {
            let source = KafkaDirectSource(broker.configuration(), options: .init(topics: [topic], startingOffsets: .earliest))
            return try await runBatches(1, source: source) { $0.map { $0.valueText ?? "" } }.flatMap { $0 }
        }
        #expect(try await read("ai-tweets") == ["new #AI model", "#ai ethics"])
        #expect(try await read("other-tweets") == ["lunch", "weather"])
    }

    @Test func aFailedDeliveryFailsTheBatch() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("tweets", partitions: 1)
        // TOPIC_AUTHORIZATION_FAILED on every Produce request: not retriable.
        broker.failNextRequests(apiKey: 0, withErrors: Array(repeating: .topicAuthorizationFailed, count: 50))
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        try context.stream(from: QueueSource([["lost?"]])).saveToKafka(broker.configuration(), deliveryTimeout: .seconds(20)) {
            KafkaProducerRecord(topic: "tweets", value: $0)
        }
        try context.start()
        await clock.advance(by: .seconds(1))
        let error = await #expect(throws: StreamingError.self) { try await context.awaitTermination() }
        #expect(error?.description.contains("tweets") == true)
        guard case .batchFailed(_, _, let underlying) = error, let kafka = underlying as? KafkaError else {
            Issue.record("not a Kafka failure: \(String(describing: error))")
            return
        }
        #expect(kafka.code == .topicAuthorizationFailed)
        #expect(!kafka.isRetriable)
    }

    @Test func secretsNeverAppearInDescriptionsOrErrors() throws {
        var configuration = KafkaConfiguration(bootstrapServers: "localhost:1", properties: ["sasl.password": "hunter2"])
        configuration.properties["sasl.username"] = "ann"
        #expect(!configuration.description.contains("hunter2"))
        #expect(configuration.description.contains("sasl.username=ann"))

        // A client librdkafka refuses to create: SASL over TLS with a CA file that is not there.
        configuration.properties["security.protocol"] = "SASL_SSL"
        configuration.properties["sasl.mechanism"] = "PLAIN"
        configuration.properties["ssl.key.password"] = "s3cret-value"
        configuration.properties["ssl.ca.location"] = "/nonexistent/ca.pem"
        let error = #expect(throws: KafkaError.self) {
            try StreamingContext(batchInterval: .seconds(1)).stream(from: QueueSource<String>())
                .saveToKafka(configuration) { KafkaProducerRecord(topic: "t", value: $0) }
        }
        #expect(error.map { !"\($0)".contains("hunter2") && !"\($0)".contains("s3cret-value") } == true)
    }
}
