import Foundation
import Locking
import Logging
import StreamCore

/// Keyed running state shared out across the members of a consumer group, as Kafka Streams
/// does it: every member may see every key, but each key belongs to one *task*, and each task
/// to the member that owns the input partition of the same number.
///
/// Each batch, a member (1) combines its records' pairs per input partition and task and
/// writes them to the repartition topic `<application>-repartition`, (2) reads what every
/// member wrote for the tasks it owns and folds it into their state, (3) writes what changed
/// to the changelog topic `<application>-changelog` with the offsets the state now reflects.
/// A member that takes a task over (a join, a leave, a crash) restores it from the changelog
/// first. Batches are recognized when they arrive twice (a member died after sending them and
/// the input partition's next owner re-cut the same range), so state counts every input
/// record exactly once. Outputs are at-least-once: a member that dies after a batch and
/// before its outputs finished has them written again by the next owner.
///
/// The internal topics work with any partition count (tasks share partitions when there are
/// fewer than tasks); create them with as many partitions as the input topic for one task per
/// partition.
///
/// - Important: Use it with a `KafkaDirectSource` in `.consumerGroup` assignment over one
///   topic, through `DStream.reduceByKey(across:pairs:)`, once per batch.
///
/// Sendable: its mutable state is behind a lock; `process` runs once per batch, on the
/// scheduler's thread.
public final class KafkaGroupState<Key: KafkaBytesCodable & Hashable, Value: KafkaBytesCodable>: @unchecked Sendable {
    /// Names the internal topics: the group's id is a good choice.
    public let application: String
    public var repartitionTopic: String { "\(application)-repartition" }
    public var changelogTopic: String { "\(application)-changelog" }

    private let source: KafkaDirectSource
    private let reduce: @Sendable (Value, Value) -> Value
    private let producer: RDKafkaProducer
    private let client: RDKafkaClient
    private let reader: OffsetRangeReader
    private let requestTimeout: Duration
    private let logger = Logger(label: "KafkaSource")
    private let tasks = Locked(Tasks())
    /// A snapshot every this many changelog entries bounds what a restore reads.
    private let snapshotEvery = 10

    private struct Tasks {
        var owned: [Int: ShuffleTask<Key, Value>] = [:]
        var generation = -1
        var layout: Layout?
        var sent = Traffic()
    }

    /// Bytes (keys and values) this member wrote to the internal topics: the cost of the shuffle.
    public struct Traffic: Sendable {
        public var repartitionBytes = 0
        public var changelogBytes = 0
    }

    /// What this member wrote to the internal topics so far.
    public var traffic: Traffic { tasks.withLock { $0.sent } }

    /// Partition counts: tasks (the input topic's), and the internal topics'.
    private struct Layout {
        var tasks: Int
        var repartition: Int32
        var changelog: Int32
    }

    /// - Parameters:
    ///   - configuration: the cluster (the same as the source's).
    ///   - source: the group's source; its partitions decide which tasks this member owns.
    ///   - reduce: merges two values of a key (associative: batches arrive combined).
    public init(
        _ configuration: KafkaConfiguration, application: String, source: KafkaDirectSource,
        reduce: @escaping @Sendable (Value, Value) -> Value
    ) throws {
        self.application = application
        self.source = source
        self.reduce = reduce
        requestTimeout = source.options.requestTimeout
        var properties = configuration.librdkafkaProperties
        properties["group.id"] = nil
        producer = try RDKafkaProducer(properties: properties)
        properties["group.id"] = "\(application)-task-reader-\(UUID().uuidString)"
        properties["enable.auto.commit"] = "false"
        properties["auto.offset.reset"] = "error"
        properties["fetch.wait.max.ms"] = properties["fetch.wait.max.ms"] ?? "20"
        client = try RDKafkaClient(.consumer, properties: properties)
        reader = OffsetRangeReader(client: client, assignment: .reader)
    }

    /// Runs the three steps for one batch and returns the state of every key this member's
    /// tasks own.
    /// - Parameter pairs: the key/value pairs of one input record.
    func process(_ records: [KafkaRecord], pairs: (KafkaRecord, (Key, Value) -> Void) -> Void) throws -> [(Key, Value)] {
        defer { reader.release() }  // the task reader fetches nothing between batches
        let layout = try self.layout()
        let ranges = source.lastOffsetRanges
        let (generation, partitions) = source.batchAssignment
        try shuffle(records, ranges: ranges, layout: layout, pairs: pairs)
        let owned = Set(partitions.map { Int($0.partition) }.filter { $0 < layout.tasks })
        var current = tasks.withLock { tasks in
            if tasks.generation != generation {  // the group assigned anew: someone else may have had them meanwhile
                tasks.owned.removeAll()
                tasks.generation = generation
            }
            return tasks.owned.filter { owned.contains($0.key) }
        }
        for task in owned.sorted() where current[task] == nil {
            current[task] = try restore(task, layout: layout)
        }
        let changed = try consume(&current, layout: layout)
        guard source.confirmMembership() else {
            // The group may have given these tasks to another member: write nothing, and
            // restore whatever the group assigns next from the changelog.
            tasks.withLock { $0.owned.removeAll() }
            return []
        }
        try writeChangelog(&current, changed: changed, layout: layout)
        tasks.withLock { $0.owned = current }
        return current.values.flatMap { $0.state.map { ($0.key, $0.value) } }
    }

    /// The partition counts, read once.
    private func layout() throws -> Layout {
        if let layout = tasks.withLock({ $0.layout }) { return layout }
        guard source.options.topics.count == 1, let input = source.options.topics.first else {
            throw KafkaError(
                operation: "sharing keyed state across the group",
                message: "the source must read exactly one topic (it reads \(source.options.topics.count))")
        }
        let taskCount = try client.partitionCount(of: input, timeout: requestTimeout)
        createIfMissing([repartitionTopic, changelogTopic], partitions: taskCount)
        let layout = Layout(
            tasks: taskCount, repartition: try partitionCount(of: repartitionTopic),
            changelog: try partitionCount(of: changelogTopic))
        logger.info(
            "\(layout.tasks) tasks (the partitions of \(input)); internal topics \(repartitionTopic) (\(layout.repartition) partitions) and \(changelogTopic) (\(layout.changelog))"
        )
        tasks.withLock { $0.layout = layout }
        return layout
    }

    /// The partition count of an internal topic, once the reader knows its partitions too (a
    /// topic just created reaches a broker's metadata a moment later).
    private func partitionCount(of topic: String) throws -> Int32 {
        let count = try producer.partitionCount(of: topic, timeout: requestTimeout)
        for _ in 0..<50 where (try? client.partitionCount(of: topic, timeout: requestTimeout)) != count {
            Thread.sleep(forTimeInterval: 0.1)
        }
        return Int32(count)
    }

    /// One partition per task where the broker creates topics; otherwise the topics are
    /// created on first use with the broker's default count, and tasks share their partitions.
    private func createIfMissing(_ topics: [String], partitions: Int) {
        // Asked of the reader, which never creates topics by asking.
        let missing = topics.filter { (try? client.partitionCount(of: $0, timeout: requestTimeout)) == nil }
        guard !missing.isEmpty else { return }
        do {
            // Brokers that create topics answer at once; one that cannot (the embedded one) does not answer.
            try producer.createTopics(missing, partitions: partitions, timeout: .seconds(2))
            logger.info("created \(missing.joined(separator: " and ")) with \(partitions) partitions")
        } catch {
            logger.info("could not create \(missing.joined(separator: " and ")) (\(error)): the broker creates them on first use")
        }
    }

    /// Step 1: each input range's pairs, combined per task, to the repartition topic. Every
    /// task gets a frame for every range, empty or not, so that it can tell a missing batch.
    private func shuffle(
        _ records: [KafkaRecord], ranges: [OffsetRange], layout: Layout, pairs: (KafkaRecord, (Key, Value) -> Void) -> Void
    ) throws {
        // Combined per input partition first: a key's task is then found once per batch, not
        // once per occurrence.
        var combined: [Int32: [Key: Value]] = [:]
        for (partition, records) in Dictionary(grouping: records, by: \.partition) {
            var values: [Key: Value] = [:]
            for record in records {
                pairs(record) { key, value in
                    if let index = values.index(forKey: key) {
                        values.values[index] = reduce(values.values[index], value)
                    } else {
                        values[key] = value
                    }
                }
            }
            combined[partition] = values
        }
        // Tells this sending of a range from any other (another member's, or this member's own
        // after the group handed the partition back): parts of different sendings never mix.
        let attempt = UInt64.random(in: 1...UInt64.max)
        var scratch: [UInt8] = []
        var out: [OutgoingRecord] = []
        for range in ranges {
            var perTask = Array(repeating: [(key: Key, value: Value)](), count: layout.tasks)
            for (key, value) in combined[range.topicPartition.partition] ?? [:] {
                perTask[task(of: key, among: layout.tasks, scratch: &scratch)].append((key, value))
            }
            for (t, pairs) in perTask.enumerated() {
                let chunks = encodedChunks(pairs)
                for (part, chunk) in chunks.enumerated() {
                    let frame = RepartitionFrame(task: t, range: range, attempt: attempt, part: part, parts: chunks.count)
                    out.append((repartitionTopic, Int32(t) % layout.repartition, frame.encoded, chunk))
                }
            }
        }
        let bytes = try send(out)
        tasks.withLock { $0.sent.repartitionBytes += bytes }
    }

    /// A record for the producer: topic, partition, key, value.
    private typealias OutgoingRecord = (topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?)

    /// Sends and confirms `records`; returns their bytes (keys and values).
    private func send(_ records: [OutgoingRecord]) throws -> Int {
        try producer.send(records, timeout: source.options.readTimeout, isCancelled: { [source] in source.isStopped })
        return records.reduce(0) { $0 + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) }
    }

    /// Step 2: folds what arrived for each owned task into its state; returns the keys that changed.
    private func consume(_ current: inout [Int: ShuffleTask<Key, Value>], layout: Layout) throws -> [Int: Set<Key>] {
        var changed: [Int: Set<Key>] = [:]
        let byPartition = Dictionary(grouping: current.keys) { Int32($0) % layout.repartition }
        for (partition, owners) in byPartition {
            let topicPartition = TopicPartition(topic: repartitionTopic, partition: partition)
            let from = owners.map { current[$0]!.position.next }.min()!
            let records = try read(topicPartition, from: from)
            let high = records.last.map { $0.offset + 1 } ?? from
            for owner in owners {
                let arrivals = records.compactMap { record -> ShuffleTask<Key, Value>.Arrival? in
                    guard let frame = RepartitionFrame(decoding: record.key), frame.task == owner else { return nil }
                    return (record.offset, frame, record.value ?? [])
                }
                changed[owner] = try current[owner]!.apply(arrivals, readUntil: high, reduce: reduce)
            }
        }
        return changed
    }

    /// Step 3: an entry per task that changed (a snapshot every `snapshotEvery` entries).
    private func writeChangelog(_ current: inout [Int: ShuffleTask<Key, Value>], changed: [Int: Set<Key>], layout: Layout) throws
    {
        var out: [OutgoingRecord] = []
        for (owner, var taskState) in current {
            let keys = changed[owner] ?? []
            let isSnapshot = !taskState.hasSnapshot || taskState.entriesSinceSnapshot >= snapshotEvery
            guard isSnapshot || !keys.isEmpty else { continue }
            var prefix: [UInt8] = []
            taskState.position.write(to: &prefix)
            let chunks =
                isSnapshot
                ? encodedChunks(taskState.state.lazy.map { (key: $0.key, value: $0.value) }, prefix: prefix)
                : encodedChunks(keys.lazy.map { (key: $0, value: taskState.state[$0]!) }, prefix: prefix)
            let entry = UInt64.random(in: 1...UInt64.max)
            for (part, chunk) in chunks.enumerated() {
                let frame = ChangelogFrame(task: owner, entry: entry, isSnapshot: isSnapshot, part: part, parts: chunks.count)
                out.append((changelogTopic, Int32(owner) % layout.changelog, frame.encoded, chunk))
            }
            taskState.hasSnapshot = true
            taskState.entriesSinceSnapshot = isSnapshot ? 0 : taskState.entriesSinceSnapshot + 1
            current[owner] = taskState
        }
        let bytes = try send(out)
        tasks.withLock { $0.sent.changelogBytes += bytes }
    }

    /// A task's state from its changelog: the latest complete snapshot and the complete
    /// entries after it. Reads backwards from the end, in growing steps, until it holds a
    /// complete snapshot.
    private func restore(_ owner: Int, layout: Layout) throws -> ShuffleTask<Key, Value> {
        let partition = TopicPartition(topic: changelogTopic, partition: Int32(owner) % layout.changelog)
        let marks = try client.watermarks(partition, timeout: requestTimeout)
        var entries: [ShuffleTask<Key, Value>.Entry] = []
        var from = marks.high
        var step: Int64 = 256
        var task: ShuffleTask<Key, Value>?
        while from > marks.low, task == nil {
            let start = max(marks.low, from - step)
            entries += try read(partition, from: start, until: from).compactMap { record in
                guard let frame = ChangelogFrame(decoding: record.key), frame.task == owner else { return nil }
                return (record.offset, frame, record.value ?? [])
            }
            task = try ShuffleTask.restored(from: entries)
            from = start
            step *= 4
        }
        guard let task else {
            if !entries.isEmpty {
                throw KafkaError(
                    operation: "restoring task \(owner) from \(partition)",
                    message: "no complete snapshot is left (records before offset \(marks.low) were deleted): its state is lost")
            }
            let start = try client.watermarks(
                TopicPartition(topic: repartitionTopic, partition: Int32(owner) % layout.repartition), timeout: requestTimeout
            ).low
            logger.info("task \(owner) starts empty (nothing in \(partition) yet)")
            return ShuffleTask(position: ChangelogPosition(next: start, applied: [:]))
        }
        logger.info("task \(owner) restored from \(partition): \(task.state.count) keys, read from offset \(from)")
        return task
    }

    /// The records of `partition` from `from` to its end now (or to `until`).
    private func read(_ partition: TopicPartition, from: Int64, until: Int64? = nil) throws -> [KafkaRecord] {
        let end = try until ?? client.watermarks(partition, timeout: requestTimeout).high
        guard end > from else { return [] }
        return try reader.read(
            [OffsetRange(topicPartition: partition, from: from, until: end)], timeout: source.options.readTimeout,
            warn: { [logger] in logger.warning("\($0)") }, isCancelled: { [source] in source.isStopped }
        ).records
    }
}

extension DStream where Element == KafkaRecord {
    /// Running totals per key across every member of a consumer group: each member's stream
    /// holds, every batch, the current value of each key its tasks own (see `KafkaGroupState`).
    /// - Parameter pairs: the key/value pairs of one record (a record may have none or many).
    public func reduceByKey<Key, Value>(
        across state: KafkaGroupState<Key, Value>, pairs: @escaping @Sendable (KafkaRecord, (Key, Value) -> Void) -> Void
    ) -> DStream<(Key, Value)> {
        transform { batch, _ in try state.process(batch.records, pairs: pairs) }
    }
}
