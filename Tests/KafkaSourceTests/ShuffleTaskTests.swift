import StreamCore
import Testing

@testable import KafkaSource

/// How a task of a keyed shuffle folds what arrives on its repartition partition, and how it
/// comes back from its changelog. Pure logic: the frames are built here, as members write them.
@Suite("A keyed shuffle's task: each batch once, state from the changelog")
struct ShuffleTaskTests {
    typealias Task = ShuffleTask<Word, Int>

    /// What a member sends task 0 for the records `[from, until)` of input partition `input`.
    func arrival(
        at offset: Int64, input: Int32 = 0, _ from: Int64, _ until: Int64, _ counts: [Word: Int], attempt: UInt64 = 1,
        part: Int = 0, parts: Int = 1
    ) -> Task.Arrival {
        let range = OffsetRange(topicPartition: TopicPartition(topic: "words", partition: input), from: from, until: until)
        let frame = RepartitionFrame(task: 0, range: range, attempt: attempt, part: part, parts: parts)
        return (offset, frame, encodedChunks(counts.map { (key: $0.key, value: $0.value) })[0])
    }

    func fresh() -> Task { Task(position: ChangelogPosition(next: 0, applied: [:])) }

    @Test func batchesAddUpAndMoveThePosition() throws {
        var task = fresh()
        let changed = try task.apply(
            [arrival(at: 0, 0, 10, ["spark": 2, "swift": 1]), arrival(at: 1, 10, 20, ["swift": 3])], readUntil: 2, reduce: +)
        #expect(task.state == ["spark": 2, "swift": 4])
        #expect(changed == ["spark", "swift"])
        #expect(task.position.applied == [0: 20])
        #expect(task.position.next == 2)
    }

    @Test func aBatchSentAgainByTheNextOwnerCountsOnce() throws {
        // A member sent [0, 10) and died before committing; the partition's next owner re-cut
        // the same range (the source's intent commit) and sent it again.
        var task = fresh()
        _ = try task.apply(
            [arrival(at: 0, 0, 10, ["spark": 2], attempt: 1), arrival(at: 1, 0, 10, ["spark": 2], attempt: 2)],
            readUntil: 2, reduce: +)
        #expect(task.state == ["spark": 2])
    }

    @Test func aPartWrittenTwiceCountsOnce() throws {
        // The producer retried a write whose acknowledgement was lost (the topic then holds the
        // record twice), or a member got its partition back and sent the same range again.
        var task = fresh()
        _ = try task.apply(
            [arrival(at: 0, 0, 10, ["spark": 2]), arrival(at: 1, 0, 10, ["spark": 2]), arrival(at: 2, 10, 20, ["spark": 1])],
            readUntil: 3, reduce: +)
        #expect(task.state == ["spark": 3])
        #expect(task.position.applied == [0: 20])
    }

    @Test func aBatchWaitsForAllItsPartsAndAHalfSentOneIsDropped() throws {
        var task = fresh()
        // The first member died after sending part 0 of 2; the next owner sent both parts.
        let halfSent = arrival(at: 0, 0, 10, ["spark": 1], attempt: 1, part: 0, parts: 2)
        let firstPart = arrival(at: 1, 0, 10, ["spark": 1], attempt: 2, part: 0, parts: 2)
        _ = try task.apply([halfSent, firstPart], readUntil: 2, reduce: +)
        #expect(task.state.isEmpty)
        #expect(task.position.next == 0, "read again from the first part still needed")

        let secondPart = arrival(at: 2, 0, 10, ["swift": 5], attempt: 2, part: 1, parts: 2)
        _ = try task.apply([halfSent, firstPart, secondPart], readUntil: 3, reduce: +)
        #expect(task.state == ["spark": 1, "swift": 5])
        #expect(task.position.next == 3, "the half-sent batch is superseded: nothing left to wait for")
    }

    @Test func aLaterBatchWaitsForTheEarlierOneOfItsPartition() throws {
        var task = fresh()
        _ = try task.apply([arrival(at: 0, 0, 10, ["a": 1])], readUntil: 1, reduce: +)
        _ = try task.apply([arrival(at: 1, 20, 30, ["a": 1])], readUntil: 2, reduce: +)
        #expect(task.state == ["a": 1], "[10, 20) is missing: [20, 30) must not be counted before it")
        #expect(task.position.next == 1)
    }

    @Test func twoDifferentCutsOfOneRangeAreRefused() throws {
        var task = fresh()
        _ = try task.apply([arrival(at: 0, 0, 10, ["a": 1])], readUntil: 1, reduce: +)
        #expect(throws: KafkaError.self) { try task.apply([arrival(at: 1, 5, 15, ["a": 1])], readUntil: 2, reduce: +) }
    }

    /// A changelog entry as a task writes it: its position first, then pairs.
    func entry(
        at offset: Int64, id: UInt64, snapshot: Bool, _ pairs: [Word: Int], next: Int64, part: Int = 0, parts: Int = 1
    ) -> Task.Entry {
        var prefix: [UInt8] = []
        if part == 0 { ChangelogPosition(next: next, applied: [0: next * 10]).write(to: &prefix) }
        let frame = ChangelogFrame(task: 0, entry: id, isSnapshot: snapshot, part: part, parts: parts)
        return (offset, frame, encodedChunks(pairs.map { (key: $0.key, value: $0.value) }, prefix: prefix)[0])
    }

    @Test func restoringTakesTheLatestCompleteSnapshotAndTheDeltasAfterIt() throws {
        let entries = [
            entry(at: 0, id: 1, snapshot: true, ["a": 1], next: 1),
            entry(at: 1, id: 2, snapshot: false, ["a": 2], next: 2),
            entry(at: 2, id: 3, snapshot: true, ["a": 2, "b": 1], next: 3),
            entry(at: 3, id: 4, snapshot: false, ["b": 7], next: 4),
            // A member died while writing this one: it is ignored.
            entry(at: 4, id: 5, snapshot: false, ["b": 9], next: 5, part: 0, parts: 2),
        ]
        let task = try #require(try Task.restored(from: entries))
        #expect(task.state == ["a": 2, "b": 7])
        #expect(task.position.next == 4 && task.position.applied == [0: 40])
        #expect(task.entriesSinceSnapshot == 1)
        #expect(try Task.restored(from: [entries[1]]) == nil, "deltas without their snapshot cannot be restored")
    }
}
