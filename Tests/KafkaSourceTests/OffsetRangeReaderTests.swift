import Foundation
import StreamCore
import Testing

@testable import KafkaSource

@Suite("Reading exact offset ranges", .timeLimit(.minutes(1)))
struct OffsetRangeReaderTests {
    /// A rebalance that hands a member back a partition it kept restarts the consumer at the
    /// group's committed offset, behind what it had already fetched: the consumer delivers
    /// those records a second time, and each must still be read once.
    @Test func recordsDeliveredAgainAfterARebalanceAreReadOnce() async throws {
        let broker = try EmbeddedKafkaBroker()
        try broker.createTopic("words", partitions: 1)
        try await produce((0..<10).map { "line \($0)" }, to: "words", with: broker.configuration())
        let words = TopicPartition(topic: "words", partition: 0)
        var properties = broker.configuration(groupID: "again").librdkafkaProperties
        properties["enable.auto.commit"] = "false"
        let client = try RDKafkaClient(.consumer, properties: properties)
        let reader = OffsetRangeReader(client: client, assignment: .consumerGroup)
        try client.assign([words: 0])
        let range = { (from: Int64, until: Int64) in OffsetRange(topicPartition: words, from: from, until: until) }

        let first = try reader.read([range(0, 5)], timeout: .seconds(10), warn: { _ in }, isCancelled: { false })
        #expect(first.records.map(\.offset) == [0, 1, 2, 3, 4])
        // Between batches the member serves the group's events; a partition that is not paused
        // (one the group just assigned) fetches ahead, and offsets 5 to 9 wait in the reader ...
        client.setPaused(false, [words])
        for _ in 0..<100 where client.positions([words])[words] != 10 { reader.serveGroupEvents(warn: { _ in }) }
        #expect(client.positions([words])[words] == 10)
        // ... then the group hands the partition back from the committed offset 5.
        try client.assign([words: 5])
        for _ in 0..<100 where client.positions([words])[words] != 10 { reader.serveGroupEvents(warn: { _ in }) }
        #expect(client.positions([words])[words] == 10, "offsets 5 to 9 were delivered again")

        let second = try reader.read([range(5, 10)], timeout: .seconds(10), warn: { _ in }, isCancelled: { false })
        #expect(second.records.map(\.offset) == [5, 6, 7, 8, 9])
    }
}
