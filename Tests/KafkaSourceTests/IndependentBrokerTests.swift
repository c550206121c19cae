import Foundation
import KafkaSource
import StreamCore
import StreamTestSupport
import Testing

/// The same contracts against a broker that runs as a separate process (noida-db, started by
/// `scripts/test.sh`), so the client is proven on more than librdkafka's own mock.
@Suite(
    "Kafka on an independent broker process",
    .enabled(
        if: ProcessInfo.processInfo.environment["KAFKA_TEST_BOOTSTRAP_SERVERS"] != nil,
        "set KAFKA_TEST_BOOTSTRAP_SERVERS (scripts/test.sh starts a broker and sets it)")
)
struct IndependentBrokerTests {
    let configuration = KafkaConfiguration(
        bootstrapServers: ProcessInfo.processInfo.environment["KAFKA_TEST_BOOTSTRAP_SERVERS"] ?? "")
    let topic = "it-\(UUID().uuidString.prefix(8))"

    @Test func writtenRecordsAreReadBackExactlyOnce() async throws {
        let lines = (1...500).map { "line \($0) #tag\($0 % 7)" }
        try await produce(lines, to: topic, with: configuration)
        let source = KafkaDirectSource(
            configuration, options: .init(topics: [topic], startingOffsets: .earliest, maxRecordsPerPartition: 100))
        let batches = try await runBatches(8, source: source) { $0.map { $0.valueText ?? "" } }
        #expect(batches.flatMap { $0 }.sorted() == lines.sorted())
        #expect(batches.allSatisfy { $0.count <= 100 * 8 })
    }

    @Test func aRestartContinuesFromTheCheckpointedOffsets() async throws {
        let checkpoint = temporaryDirectory()
        try await produce((1...200).map { _ in "x" }, to: topic, with: configuration)
        func totals(_ batches: Int) async throws -> [Int] {
            let source = KafkaDirectSource(
                configuration, options: .init(topics: [topic], startingOffsets: .earliest, maxRecordsPerPartition: 30))
            return try await runBatches(batches, source: source, checkpoint: checkpoint) { records in
                records.map { _ in ("x", 1) }.reduceByKey(+)
                    .updateStateByKey(name: "count") { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
            }.map { $0.first?.1 ?? 0 }
        }
        let first = try await totals(2)
        let second = try await totals(20)
        #expect(first.last! < 200)
        #expect(second.last == 200)
        #expect(zip(second, second.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func twoMembersShareKeyedTotalsThroughTopicsTheyCreate() async throws {
        var grouped = configuration
        grouped.groupID = "totals-\(topic)"
        try KafkaProducer(configuration).createTopics([topic], partitions: 4)
        let first = try WordTotalsMember(grouped, topic: topic)
        let second = try WordTotalsMember(grouped, topic: topic)
        for _ in 0..<60 where first.source.assignedPartitions.count + second.source.assignedPartitions.count != 4 {
            await first.runBatch()
            await second.runBatch()
        }
        let lines = (1...300).map { "kafka swift w\($0 % 23) #t\($0 % 4)" }
        try await produce(lines, to: topic, with: configuration)
        for _ in 0..<60 where first.latest.merging(second.latest, uniquingKeysWith: { $1 }) != wordCounts(lines) {
            await first.runBatch()
            await second.runBatch()
        }
        #expect(first.latest.merging(second.latest) { $1 } == wordCounts(lines))
        #expect(Set(first.latest.keys).isDisjoint(with: second.latest.keys))
        await first.context.stop()
        await second.context.stop()
    }

    @Test func committedOffsetsLetTheNextConsumerOfTheGroupResume() async throws {
        var grouped = configuration
        grouped.groupID = "group-\(topic)"
        try await produce(["one", "two"], to: topic, with: configuration)
        let first = KafkaDirectSource(grouped, options: .init(topics: [topic], startingOffsets: .earliest, commitToGroup: true))
        _ = try await runBatches(1, source: first) { $0 }
        try await produce(["three"], to: topic, with: configuration)
        let second = KafkaDirectSource(grouped, options: .init(topics: [topic], startingOffsets: .committed(fallback: .earliest)))
        let read = try await runBatches(1, source: second) { $0.map { $0.valueText ?? "" } }
        #expect(read == [["three"]])
    }
}
