import Foundation
import KafkaSource
import StreamCore
import StreamTestSupport
import Testing

@Suite("Kafka scale-out through a consumer group", .timeLimit(.minutes(2)))
struct ConsumerGroupTests {
    /// One member of the group: a pipeline whose batches can be run one at a time.
    final class Member: @unchecked Sendable {
        let source: KafkaDirectSource
        let clock = ManualClock()
        let context: StreamingContext
        let log = BatchLog<KafkaRecord>()

        init(_ configuration: KafkaConfiguration) throws {
            source = KafkaDirectSource(
                configuration,
                options: .init(
                    topics: ["tweets"], startingOffsets: .earliest, assignment: .consumerGroup))
            context = StreamingContext(batchInterval: .seconds(1), clock: clock)
            try context.stream(from: source).foreachBatch { [log] batch, _ in log.append(batch.records) }
            try context.start()
        }

        func runBatch() async {
            await clock.advance(by: .seconds(1))
        }
    }

    @Test func twoProcessesSharingAGroupSplitThePartitionsAndReadEachRecordOnce() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("tweets", partitions: 4)
        var configuration = broker.configuration(groupID: "scale-out")
        configuration.properties["session.timeout.ms"] = "6000"
        let first = try Member(configuration)
        let second = try Member(configuration)

        // Rebalances take effect between batches: run batches until the group has settled.
        while first.source.assignedPartitions.count != 2 || second.source.assignedPartitions.count != 2 {
            await first.runBatch()
            await second.runBatch()
        }
        let lines = (1...40).map { "post \($0)" }
        try await produce(lines, to: "tweets", with: broker.configuration(), keyedBy: { $0 })
        for _ in 0..<3 {
            await first.runBatch()
            await second.runBatch()
        }
        let firstRecords = first.log.batches.flatMap { $0 }, secondRecords = second.log.batches.flatMap { $0 }
        #expect((firstRecords + secondRecords).compactMap(\.valueText).sorted() == lines.sorted())
        #expect(!firstRecords.isEmpty && !secondRecords.isEmpty)
        #expect(Set(firstRecords.map(\.partition)).isDisjoint(with: Set(secondRecords.map(\.partition))))

        // The second process leaves: the first takes its partitions over from the group's
        // committed offsets, and still reads every record exactly once.
        await second.context.stop()
        while first.source.assignedPartitions.count != 4 { await first.runBatch() }
        let more = (41...60).map { "post \($0)" }
        try await produce(more, to: "tweets", with: broker.configuration(), keyedBy: { $0 })
        for _ in 0..<3 { await first.runBatch() }
        await first.context.stop()
        let all = (first.log.batches + second.log.batches).flatMap { $0 }.compactMap(\.valueText)
        #expect(all.sorted() == (lines + more).sorted())
    }
}
