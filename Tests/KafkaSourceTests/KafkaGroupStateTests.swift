import Foundation
import StreamCore
import StreamTestSupport
import Testing

@testable import KafkaSource

@Suite("Keyed state shared across a consumer group", .timeLimit(.minutes(2)))
struct KafkaGroupStateTests {
    @Test func eachWordLivesInOneMemberAndFollowsItsTaskWhenAMemberLeaves() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("words", partitions: 4)
        let configuration = broker.configuration(groupID: "word-totals")
        let first = try WordTotalsMember(configuration, topic: "words")
        let second = try WordTotalsMember(configuration, topic: "words")
        while first.source.assignedPartitions.count != 2 || second.source.assignedPartitions.count != 2 {
            await first.runBatch()
            await second.runBatch()
        }

        // Both members see most words; each total is kept by one of them, and is exact.
        let lines = (1...200).map { "swift spark kafka word\($0 % 17) tag\($0 % 5)" }
        try await produce(lines, to: "words", with: broker.configuration())
        for _ in 0..<3 {
            await first.runBatch()
            await second.runBatch()
        }
        #expect(Set(first.latest.keys).isDisjoint(with: second.latest.keys))
        #expect(first.latest.merging(second.latest) { $1 } == wordCounts(lines))

        // The second member leaves: the first restores its tasks from the changelog topic and
        // goes on counting from there.
        await second.context.stop()
        while first.source.assignedPartitions.count != 4 { await first.runBatch() }
        let more = (1...50).map { "swift word\($0 % 3)" }
        try await produce(more, to: "words", with: broker.configuration())
        for _ in 0..<2 { await first.runBatch() }
        await first.context.stop()
        #expect(first.latest == wordCounts(lines + more))
    }

    @Test func aPartitionsNextOwnerReCutsTheBatchItsOwnerDiedIn() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("words", partitions: 1)
        try await produce((0..<10).map { "line \($0)" }, to: "words", with: broker.configuration())
        // What a member commits before reading [2, 5): it died before committing 5.
        let words = TopicPartition(topic: "words", partition: 0)
        var properties = broker.configuration(groupID: "recut").librdkafkaProperties
        properties["enable.auto.commit"] = "false"
        let died = try RDKafkaClient(.consumer, properties: properties)
        try died.commit([words: 2], metadata: [words: "until=5"])

        let source = KafkaDirectSource(
            broker.configuration(groupID: "recut"),
            options: .init(topics: ["words"], startingOffsets: .earliest, assignment: .consumerGroup))
        let clock = ManualClock()
        let log = BatchLog<Int64>()
        let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
        try context.stream(from: source).map(\.offset).foreachBatch { batch, _ in log.append(batch.records) }
        try context.start()
        // Until the group has assigned the partition and two batches have read from it.
        for _ in 0..<300 where log.batches.filter({ !$0.isEmpty }).count < 2 { await clock.advance(by: .seconds(1)) }
        await context.stop()
        let batches = log.batches.filter { !$0.isEmpty }
        #expect(batches.first == [2, 3, 4], "the same range again, not whatever is there now")
        #expect(batches.dropFirst().first == Array(5..<10))
    }
}
