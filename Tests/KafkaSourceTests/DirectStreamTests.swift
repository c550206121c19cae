import Foundation
import KafkaSource
import StreamCore
import StreamTestSupport
import Testing

@Suite("Kafka direct stream on the embedded broker")
struct DirectStreamTests {
    let broker: EmbeddedKafkaBroker

    init() throws {
        broker = try EmbeddedKafkaBroker()
        try broker.createTopic("tweets", partitions: 2)
    }

    func source(
        _ start: KafkaDirectSource.StartingOffsets = .earliest, max: Int? = nil, group: String? = nil, commit: Bool = false
    )
        -> KafkaDirectSource
    {
        KafkaDirectSource(
            broker.configuration(groupID: group),
            options: .init(
                topics: ["tweets"], startingOffsets: start, maxRecordsPerPartition: max, commitToGroup: commit))
    }

    @Test func everyRecordArrivesOnceWithinThePerPartitionCap() async throws {
        let lines = (1...20).map { "tweet \($0)" }
        try await produce(lines, to: "tweets", with: broker.configuration(), keyedBy: { $0 })
        let batches = try await runBatches(5, source: source(max: 3)) { $0.map { $0.valueText ?? "" } }

        #expect(batches.flatMap { $0 }.sorted() == lines.sorted())
        #expect(batches.allSatisfy { $0.count <= 6 })  // 3 per partition, 2 partitions
        #expect(batches.last?.isEmpty == true)
    }

    @Test func recordsCarryTheirCoordinates() async throws {
        try await produce(["hello"], to: "tweets", with: broker.configuration(), keyedBy: { _ in "k" })
        let records = try await runBatches(1, source: source()) { $0 }.flatMap { $0 }
        #expect(records.count == 1)
        #expect(records.first?.topic == "tweets")
        #expect(records.first?.keyText == "k")
        #expect(records.first?.offset == 0)
        #expect(records.first?.timestamp != nil)
    }

    @Test func latestSkipsWhatWasWrittenBefore() async throws {
        try await produce(["old"], to: "tweets", with: broker.configuration())
        let batches = try await runBatches(2, source: source(.latest)) { $0.map { $0.valueText ?? "" } }
        #expect(batches == [[], []])
    }

    /// The exactly-once contract: state and offsets are checkpointed together, so a restarted
    /// pipeline continues where the checkpoint left off and counts every record once.
    @Test func aRestartContinuesFromTheCheckpointedOffsets() async throws {
        let checkpoint = temporaryDirectory()
        try broker.createTopic("lines", partitions: 1)
        try await produce((1...30).map { _ in "a b" }, to: "lines", with: broker.configuration())
        func totals(_ batches: Int) async throws -> [[(Word, Int)]] {
            let source = KafkaDirectSource(
                broker.configuration(), options: .init(topics: ["lines"], startingOffsets: .earliest, maxRecordsPerPartition: 5))
            return try await runBatches(batches, source: source, checkpoint: checkpoint) { records in
                records.map { $0.valueText ?? "" }.words().map { ($0, 1) }.reduceByKey(+)
                    .updateStateByKey(name: "totals") { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
            }
        }
        let first = try await totals(2)
        let second = try await totals(5)

        #expect(Dictionary(uniqueKeysWithValues: first.last!.map { ($0.0.text, $0.1) }) == ["a": 10, "b": 10])
        #expect(second.map { $0.first { $0.0 == "a" }?.1 } == [15, 20, 25, 30, 30])
    }

    @Test func aCheckpointOfAnotherClusterIsRefused() async throws {
        // The same topic name on a recreated cluster holds other records at the same offsets:
        // continuing the old totals there would skip some and count others twice.
        let checkpoint = temporaryDirectory()
        try broker.createTopic("lines", partitions: 1)
        try await produce(["a", "b"], to: "lines", with: broker.configuration())
        func run(on cluster: EmbeddedKafkaBroker) async throws -> [[(Word, Int)]] {
            let source = KafkaDirectSource(cluster.configuration(), options: .init(topics: ["lines"], startingOffsets: .earliest))
            return try await runBatches(1, source: source, checkpoint: checkpoint) { records in
                records.map { $0.valueText ?? "" }.words().map { ($0, 1) }.reduceByKey(+)
                    .updateStateByKey(name: "totals") { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
            }
        }
        _ = try await run(on: broker)
        let recreated = try EmbeddedKafkaBroker()
        try recreated.createTopic("lines", partitions: 1)
        try await produce(["c", "d", "e"], to: "lines", with: recreated.configuration())
        let error = await #expect(throws: (any Error).self) { _ = try await run(on: recreated) }
        #expect("\(error!)".contains("it was written against Kafka cluster"))
        #expect("\(error!)".contains("move the checkpoint directory away"))
    }

    @Test func committedOffsetsLetTheNextConsumerOfTheGroupResume() async throws {
        try await produce((1...4).map { "first \($0)" }, to: "tweets", with: broker.configuration())
        let first = try await runBatches(1, source: source(group: "wordcount", commit: true)) { $0.map { $0.valueText ?? "" } }
        try await produce(["second"], to: "tweets", with: broker.configuration())
        let second = try await runBatches(1, source: source(.committed(fallback: .earliest), group: "wordcount")) {
            $0.map { $0.valueText ?? "" }
        }
        #expect(first.flatMap { $0 }.count == 4)
        #expect(second == [["second"]])
    }

    @Test func committingWithoutAGroupIsRefusedAtStart() async throws {
        let context = StreamingContext(batchInterval: .seconds(1), clock: ManualClock())
        try context.stream(from: source(commit: true)).print()
        let error = #expect(throws: KafkaError.self) { try context.start() }
        #expect(error?.description.contains("groupID") == true)
    }
}
