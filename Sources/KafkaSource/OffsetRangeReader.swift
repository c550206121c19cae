import Foundation

/// Reads exact offset ranges with one long-lived consumer.
///
/// The assignment is kept across batches; records fetched past a batch's range wait in
/// memory for the next batch. When a batch asks for offsets the consumer is not at (a
/// restore, a new partition), the consumer is moved to the exact offsets: re-assigned when
/// this reader owns the assignment, or seeked within it when a consumer group does.
///
/// Sendable: a source hands it to one batch at a time (batches run one after another on the
/// scheduler thread); `stop()` only drops the source's reference to it.
final class OffsetRangeReader: @unchecked Sendable {
    /// Who decides which partitions the consumer reads.
    enum Assignment {
        /// This reader assigns exactly the partitions of each batch.
        case reader
        /// A consumer group assigns them; partitions may be revoked between and during batches.
        case consumerGroup
    }

    private let client: RDKafkaClient
    private let assignment: Assignment
    /// Records fetched beyond the range of the batch that fetched them, per partition.
    private var early: [TopicPartition: [KafkaRecord]] = [:]
    /// The offset after the last record the consumer returned, per assigned partition.
    private var consumerNext: [TopicPartition: Int64] = [:]

    init(client: RDKafkaClient, assignment: Assignment) {
        self.client = client
        self.assignment = assignment
    }

    /// Polls briefly so that the group's joins and rebalances take effect; records that
    /// arrive meanwhile wait for their batch.
    func serveGroupEvents(warn: (String) -> Void) {
        var timeout = Duration.milliseconds(100)
        for _ in 0..<1000 {
            guard let result = client.poll(timeout: timeout) else { return }
            timeout = .zero
            switch result {
            case .success(let record): keepEarly(record)
            case .failure(let error): warn(error.description)
            }
        }
    }

    /// Forgets what was buffered for partitions this consumer no longer owns.
    func forget(_ partitions: some Sequence<TopicPartition>) {
        for partition in partitions {
            early[partition] = nil
            consumerNext[partition] = nil
        }
    }

    /// With `.reader`: stops fetching until the next `read` (a consumer left assigned keeps
    /// fetching, and a broker that answers empty fetches at once, like noida-db, keeps it busy).
    func release() {
        guard assignment == .reader, !consumerNext.isEmpty else { return }
        try? client.assign([:])
        early = [:]
        consumerNext = [:]
    }

    private func keepEarly(_ record: KafkaRecord) {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        consumerNext[partition] = record.offset + 1
        keep(record, in: &early[partition, default: []])
    }

    /// Appends `record` unless `records` already ends at or after its offset: a consumer
    /// delivers an offset again after a rebalance hands it the same partition (it restarts
    /// from the committed offset, behind what it had fetched), and each offset counts once.
    private func keep(_ record: KafkaRecord, in records: inout [KafkaRecord]) {
        guard record.offset > records.last?.offset ?? Int64.min else { return }
        records.append(record)
    }

    /// The records of `ranges`, ordered by partition and offset, and the partitions whose range
    /// was dropped because the group moved them to another member during the read.
    /// - Parameters:
    ///   - timeout: how long to keep trying (retriable errors are retried meanwhile).
    ///   - warn: told about each problem recovered from.
    ///   - isCancelled: true once the source stops: a read still waiting after a second gives up.
    /// - Throws: `KafkaError` on a non-retriable error, or when the ranges cannot be read in time.
    func read(
        _ ranges: [OffsetRange], timeout: Duration, warn: (String) -> Void, isCancelled: () -> Bool
    ) throws -> (records: [KafkaRecord], revoked: Set<TopicPartition>) {
        guard !ranges.isEmpty else { return ([], []) }
        if assignment == .consumerGroup {
            // Between batches the group's partitions are paused: a broker that answers empty
            // fetches at once (noida-db) would otherwise keep the consumer fetching in a loop.
            client.setPaused(false, ranges.map(\.topicPartition))
        }
        defer { if assignment == .consumerGroup { client.setPaused(true, client.assignment()) } }
        let misplaced = ranges.filter { range in
            let next =
                early[range.topicPartition]?.first { $0.offset >= range.from }?.offset ?? consumerNext[range.topicPartition]
            return next != range.from
        }
        if !misplaced.isEmpty {
            let offsets = Dictionary(uniqueKeysWithValues: misplaced.map { ($0.topicPartition, $0.from) })
            switch assignment {
            case .reader:
                try client.assign(Dictionary(uniqueKeysWithValues: ranges.map { ($0.topicPartition, $0.from) }))
                early = [:]
                consumerNext = Dictionary(uniqueKeysWithValues: ranges.map { ($0.topicPartition, $0.from) })
            case .consumerGroup:
                try client.seek(offsets, timeout: timeout)
                forget(offsets.keys)
                consumerNext.merge(offsets) { _, new in new }
            }
        }
        for range in ranges {  // records before `from` were processed already
            early[range.topicPartition]?.removeAll { $0.offset < range.from }
        }
        var records: [TopicPartition: [KafkaRecord]] = [:]
        var pending: [TopicPartition: OffsetRange] = [:]
        for range in ranges {
            let waiting = early[range.topicPartition] ?? []
            let split = waiting.firstIndex { $0.offset >= range.until } ?? waiting.count
            records[range.topicPartition] = Array(waiting[..<split])
            early[range.topicPartition] = Array(waiting[split...])
            if split == waiting.count, (waiting.last?.offset ?? range.from - 1) + 1 < range.until {
                pending[range.topicPartition] = range
            }
        }
        let started = ContinuousClock.now
        let deadline = started + timeout
        var lastProblem: KafkaError?
        var emptyPolls = 0
        var revoked: Set<TopicPartition> = []
        while !pending.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(
                    operation: "reading " + pending.values.map(\.description).sorted().joined(separator: ", "),
                    message: "not all records arrived within \(timeout)"
                        + (lastProblem.map { "; last problem: \($0.message)" } ?? ""),
                    isRetriable: true)
            }
            if ContinuousClock.now - started > .seconds(1), isCancelled() {
                throw KafkaError(
                    operation: "reading " + pending.values.map(\.description).sorted().joined(separator: ", "),
                    message: "stopped before all records arrived" + (lastProblem.map { "; last problem: \($0.message)" } ?? ""))
            }
            switch client.poll(timeout: .milliseconds(100)) {
            case nil:
                emptyPolls += 1
                // Offsets with no record (transaction markers, compaction) never arrive:
                // the consumer's position says when a range is complete anyway.
                if emptyPolls % 5 == 0 {
                    for (partition, position) in client.positions(Array(pending.keys)) where position >= pending[partition]!.until
                    {
                        pending[partition] = nil
                    }
                    if assignment == .consumerGroup {
                        // A partition moved to another member: its new owner reads this range
                        // from the group's committed offset; counting it here too would double it.
                        let owned = Set(client.assignment())
                        for partition in pending.keys where !owned.contains(partition) {
                            pending[partition] = nil
                            records[partition] = nil
                            revoked.insert(partition)
                            forget([partition])
                            warn("\(partition) was assigned to another member of the group during the batch")
                        }
                    }
                }
            case .failure(let error):
                if error.code == .partitionEOF { continue }
                guard error.isRetriable else {
                    if error.code == .autoOffsetReset || error.code == .offsetOutOfRange {
                        throw KafkaError(
                            operation: error.operation, code: error.code,
                            message:
                                "the offsets to read are no longer on the broker (deleted by retention, or the topic was recreated)"
                        )
                    }
                    throw error
                }
                if lastProblem?.message != error.message { warn(error.description) }
                lastProblem = error
            case .success(let record):
                let partition = TopicPartition(topic: record.topic, partition: record.partition)
                consumerNext[partition] = record.offset + 1
                guard let range = pending[partition], record.offset < range.until else {
                    keep(record, in: &early[partition, default: []])
                    continue
                }
                if record.offset >= range.from { keep(record, in: &records[partition, default: []]) }
                if record.offset + 1 >= range.until { pending[partition] = nil }
            }
        }
        return (records.keys.sorted().flatMap { records[$0]! }, revoked)
    }
}
