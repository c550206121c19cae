import Foundation
import KafkaSource
import StreamCore
import StreamTestSupport
import Testing

@Suite("Kafka faults: retried, recovered, reported")
struct FaultInjectionTests {
    @Test func retriableRequestErrorsAreRetriedAndReportedToListeners() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("tweets", partitions: 1)
        try await produce(["a", "b"], to: "tweets", with: broker.configuration())
        // The next two ListOffsets requests fail with NOT_LEADER_FOR_PARTITION (retriable).
        broker.failNextRequests(apiKey: 2, withErrors: [.notLeaderForPartition, .notLeaderForPartition])
        let listener = RecordingListener()
        let source = KafkaDirectSource(
            broker.configuration(), options: .init(topics: ["tweets"], startingOffsets: .explicit([:])))
        let batches = try await runBatches(1, source: source, listener: listener) { $0.map { $0.valueText ?? "" } }

        #expect(batches == [["a", "b"]])
        #expect(listener.completed.flatMap { $0.sourceWarnings.values.joined() }.contains { $0.contains("NOT_LEADER") })
    }

    @Test func codesHaveLibrdkafkasNamesAndRetriability() {
        #expect(KafkaError.Code.notLeaderForPartition.name == "NOT_LEADER_FOR_PARTITION")
        #expect(KafkaError.Code.partitionEOF.name == "_PARTITION_EOF")
        #expect(KafkaError.Code(rawValue: 29) == .topicAuthorizationFailed)
        #expect(KafkaError(operation: "x", code: .transport, message: "down").description.hasSuffix("(_TRANSPORT)"))
    }

    @Test func aBrokerOutageDuringABatchIsRiddenOut() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("tweets", partitions: 1)
        try await produce(["before the outage"], to: "tweets", with: broker.configuration())
        let firstWarning = Countdown(1)
        let source = KafkaDirectSource(
            broker.configuration(),
            options: .init(
                topics: ["tweets"], startingOffsets: .earliest, readTimeout: .seconds(60), requestTimeout: .seconds(1),
                onWarning: { _ in firstWarning.tick() }))
        let clock = ManualClock()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        let log = BatchLog<String>()
        try context.stream(from: source).map { $0.valueText ?? "" }.foreachBatch { batch, _ in log.append(batch.records) }
        try context.start()

        broker.setBroker(1, up: false)
        async let batch: Void = clock.advance(by: .seconds(1))
        await firstWarning.wait()  // the source noticed the outage and is retrying
        broker.setBroker(1, up: true)
        await batch
        await context.stop()

        #expect(log.batches == [["before the outage"]])
    }
}
