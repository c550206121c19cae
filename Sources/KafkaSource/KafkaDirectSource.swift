import Foundation
import Locking
import Logging
import StreamCore

/// A Kafka source in the style of Spark's direct stream: every batch reads, per partition,
/// the offsets `[from, until)` where `until` is fixed when the batch is cut.
///
/// The position after each batch goes into the context's checkpoint together with the
/// pipeline's state, so a restart after a crash re-reads exactly the batches that were not
/// checkpointed: state counts every record once. Optionally the offsets are also committed to
/// the consumer group once a batch's outputs succeeded (for lag monitoring, or at-least-once
/// delivery without a checkpoint).
///
/// ```swift
/// let source = KafkaDirectSource(KafkaConfiguration(bootstrapServers: "localhost:9092"),
///                                options: .init(topics: ["tweets-kafka"], startingOffsets: .earliest))
/// let tweets = context.stream(from: source, name: "tweets").map { $0.valueText ?? "" }
/// ```
///
public final class KafkaDirectSource: StreamSource, Sendable {
    /// Where to start when there is no checkpoint.
    public enum StartingOffsets: Sendable {
        /// The oldest records still on the broker.
        case earliest
        /// Only records written after the source starts.
        case latest
        /// The consumer group's committed offsets; `fallback` where the group has none.
        case committed(fallback: Fallback)
        /// These offsets; other partitions start at the earliest.
        case explicit([TopicPartition: Int64])

        /// Where to start a partition with no committed offset.
        public enum Fallback: Sendable { case earliest, latest }
    }

    /// Which partitions this process reads.
    public enum PartitionAssignment: Sendable {
        /// Every partition of the topics (one process reads everything).
        case allPartitions
        /// The partitions the consumer group (`groupID`) assigns to this process: run several
        /// processes with the same group id to split the partitions between them. Rebalances
        /// take effect between batches; offsets are committed to the group after every batch,
        /// and a partition that moves is continued by its new owner from there.
        case consumerGroup
    }

    /// What to read and how.
    public struct Options: Sendable {
        public var topics: [String]
        /// All partitions, or the share a consumer group assigns (scale-out).
        public var assignment: PartitionAssignment
        public var startingOffsets: StartingOffsets
        /// The most records one batch takes from each partition (backpressure); nil: all.
        public var maxRecordsPerPartition: Int?
        /// Commit each completed batch's offsets to the consumer group (needs `groupID`).
        public var commitToGroup: Bool
        /// How long a batch may take to read its ranges (retrying meanwhile) before it fails.
        public var readTimeout: Duration
        /// How long one metadata or offset request may take; retriable failures are retried
        /// with backoff until `readTimeout`.
        public var requestTimeout: Duration
        /// Told about every problem the source recovers from (also in `BatchInfo.sourceWarnings`).
        public var onWarning: (@Sendable (String) -> Void)?

        public init(
            topics: [String], startingOffsets: StartingOffsets = .latest, maxRecordsPerPartition: Int? = nil,
            commitToGroup: Bool = false, readTimeout: Duration = .seconds(60), requestTimeout: Duration = .seconds(10),
            onWarning: (@Sendable (String) -> Void)? = nil, assignment: PartitionAssignment = .allPartitions
        ) {
            self.onWarning = onWarning
            self.assignment = assignment
            self.topics = topics
            self.startingOffsets = startingOffsets
            self.maxRecordsPerPartition = maxRecordsPerPartition
            self.commitToGroup = commitToGroup
            self.readTimeout = readTimeout
            self.requestTimeout = requestTimeout
        }
    }

    public let configuration: KafkaConfiguration
    public let options: Options
    private let logger = Logger(label: "KafkaSource")
    private let state = Locked(State())

    private struct State {
        var client: RDKafkaClient?
        var reader: OffsetRangeReader?
        var rebalance: RDKafkaRebalance?
        var next: [TopicPartition: Int64] = [:]
        var restored = false
        var ranges: [OffsetRange] = []
        var warnings: [String] = []
        var stopped = false
        /// The cluster this source reads, and the one its restored checkpoint was written against.
        var clusterID: String?
        var restoredClusterID: String?
        /// In a group: where a batch cut by the partition's previous owner ended, for partitions
        /// whose owner died before completing it: the next cut ends there too.
        var pinnedUntil: [TopicPartition: (from: Int64, until: Int64)] = [:]
        /// In a group: the partitions the last batch read, and how many assignments the group
        /// had made when it was cut.
        var batchAssignment: (generation: Int, partitions: [TopicPartition]) = (0, [])
        var assignments = 0
    }

    public init(_ configuration: KafkaConfiguration, options: Options) {
        self.configuration = configuration
        self.options = options
    }

    /// The offset ranges of the last batch cut: what a `foreachBatch` is processing.
    public var lastOffsetRanges: [OffsetRange] { state.withLock { $0.ranges } }

    /// The next offset to read, per partition.
    public var nextOffsets: [TopicPartition: Int64] { state.withLock { $0.next } }

    /// With `.consumerGroup`: the partitions the group assigns to this process right now.
    public var assignedPartitions: [TopicPartition] { state.withLock { $0.client }?.assignment() ?? [] }

    /// With `.consumerGroup`: the partitions the last batch read (assigned when it was cut and
    /// not revoked while it read), and a number that changes whenever the group assigns anew.
    var batchAssignment: (generation: Int, partitions: [TopicPartition]) { state.withLock { $0.batchAssignment } }

    private var groupResetPolicy: String {
        switch options.startingOffsets {
        case .latest, .committed(fallback: .latest): return "latest"
        default: return "earliest"
        }
    }

    private var inGroup: Bool { if case .consumerGroup = options.assignment { true } else { false } }

    public func start() throws {
        if options.commitToGroup || inGroup, configuration.groupID == nil {
            throw KafkaError(
                operation: "starting the direct stream",
                message:
                    "\(inGroup ? "the consumer-group assignment" : "commitToGroup") needs a group id: set KafkaConfiguration.groupID"
            )
        }
        var properties = configuration.librdkafkaProperties
        properties["group.id"] = properties["group.id"] ?? "swift-streaming-\(UUID().uuidString)"
        properties["enable.auto.commit"] = "false"
        properties["enable.auto.offset.store"] = "false"
        // Reading offsets that were deleted must fail, not jump. With a group, the consumer starts
        // unassigned-before partitions by itself, so it follows the starting position instead
        // (deleted offsets are still caught when a batch is cut).
        properties["auto.offset.reset"] = inGroup ? groupResetPolicy : "error"
        // The watermark queries that cut each batch share the connection with the consumer's
        // fetches and wait behind a fetch the broker holds open for up to this long (default
        // 500 ms): every batch would start half a second late.
        properties["fetch.wait.max.ms"] = properties["fetch.wait.max.ms"] ?? "20"
        if inGroup {
            // A stream job's timings, not a batch consumer's: a member that dies is noticed after
            // 6 s without heartbeats (librdkafka: 45 s), and a rebalance waits at most 30 s for
            // members to rejoin (librdkafka: 300 s, which left a group without partitions for
            // five minutes when a member died during a rebalance). Every batch polls, so a batch
            // (with its processing) must take less than max.poll.interval.ms.
            properties["session.timeout.ms"] = properties["session.timeout.ms"] ?? "6000"
            properties["heartbeat.interval.ms"] = properties["heartbeat.interval.ms"] ?? "1000"
            properties["max.poll.interval.ms"] = properties["max.poll.interval.ms"] ?? "30000"
        }
        let rebalance = RDKafkaRebalance(
            offsetsToCommit: { [weak self] revoked in self?.offsets(of: revoked) ?? [:] },
            commitFailed: { [weak self] error in self?.warn("\(error): their next owner re-reads from the previous commit") },
            assigned: { [logger, state] partitions in
                state.withLock { $0.assignments += 1 }
                logger.info(
                    "the group assigns this member \(partitions.isEmpty ? "no partition" : partitions.map(\.description).joined(separator: ", "))"
                )
            })
        let client = try RDKafkaClient(.consumer, properties: properties) { conf in
            if inGroup { rebalance.install(on: conf) }
        }
        let deadline = ContinuousClock.now + options.readTimeout
        let timeout = options.requestTimeout
        let askCluster: @Sendable () throws -> String = { [client] in try client.clusterID(timeout: timeout) }
        let cluster = try retrying(until: deadline) { try bounded("reading the cluster id", [askCluster], until: deadline)[0] }
        if let saved = state.withLock({ $0.restoredClusterID }), saved != cluster {
            throw KafkaError(
                operation: "restoring the checkpoint",
                message: "it was written against Kafka cluster '\(saved)', but \(configuration.bootstrapServers) is cluster "
                    + "'\(cluster)': its offsets would point into other records. To start over on this cluster, move the "
                    + "checkpoint directory away (or give another)")
        }
        state.withLock { $0.clusterID = cluster }
        if inGroup {
            try client.subscribe(options.topics)  // partitions arrive with the group's assignment
        } else {
            let partitions = try retrying(until: deadline) { try currentPartitions(client, until: deadline) }
            let starts =
                try state.withLock { $0.restored }
                ? [:] : retrying(until: deadline) { try startingOffsets(for: partitions, client, until: deadline) }
            state.withLock { $0.next.merge(starts) { current, _ in current } }
        }
        let reader = OffsetRangeReader(client: client, assignment: inGroup ? .consumerGroup : .reader)
        state.withLock { state in
            state.client = client
            state.rebalance = rebalance
            state.reader = reader
        }
        logger.info("reading \(options.topics.joined(separator: ", ")) from \(configuration.bootstrapServers)")
    }

    /// Releases the consumer (a batch still reading keeps it until it ends). The consumer is
    /// closed outside the lock: closing a group member calls back into this source.
    public func stop() {
        let released = state.withLock { state in
            state.stopped = true
            defer {
                state.client = nil
                state.reader = nil
            }
            return (state.client, state.reader)
        }
        withExtendedLifetime(released) {}
    }

    public func records(for time: BatchTime) throws -> [KafkaRecord] {
        guard let (client, reader) = state.withLock({ state in state.client.flatMap { c in state.reader.map { (c, $0) } } })
        else {
            return []
        }
        var cut: [OffsetRange] = []
        var positions = state.withLock { $0.next }
        let deadline = ContinuousClock.now + options.readTimeout
        let partitions =
            inGroup
            ? try groupPartitions(client, reader, deadline: deadline, positions: &positions)
            : try retrying(until: deadline, { try currentPartitions(client, until: deadline) })
        var pinned = state.withLock { $0.pinnedUntil }
        let allMarks = try retrying(until: deadline) { try watermarks(of: partitions, client, until: deadline) }
        for (partition, marks) in zip(partitions, allMarks) {
            guard let from = positions[partition] else {
                positions[partition] = marks.low  // a new partition: all of it
                cut.append(OffsetRange(topicPartition: partition, from: marks.low, until: cap(marks.low, marks.high)))
                continue
            }
            guard from >= marks.low, from <= marks.high else {
                throw KafkaError(
                    operation: "cutting the batch of \(partition)",
                    message: "offset \(from) is outside the broker's [\(marks.low), \(marks.high)): "
                        + (from < marks.low
                            ? "records were deleted before they were read (retention)" : "the topic was recreated or truncated"))
            }
            let pin = pinned.removeValue(forKey: partition)
            let until = pin.flatMap { $0.from == from ? min($0.until, marks.high) : nil } ?? cap(from, marks.high)
            cut.append(OffsetRange(topicPartition: partition, from: from, until: until))
        }
        let nonEmpty = cut.filter { $0.until > $0.from }
        if inGroup, try !commitIntent(nonEmpty, client, deadline: deadline) {
            state.withLock { state in
                state.ranges = []
                state.batchAssignment = (state.assignments, [])
            }
            return []
        }
        var (records, revoked): ([KafkaRecord], Set<TopicPartition>)
        do {
            (records, revoked) = try reader.read(
                nonEmpty, timeout: max(.seconds(1), deadline - ContinuousClock.now), warn: warn,
                isCancelled: { [weak self] in self?.isStopped ?? true })
        } catch let error as KafkaError where error.isRetriable {
            throw givingUp(error)
        }
        if inGroup {
            // A partition the group took away while its range was already read, or that had no
            // range, is not seen by the reader; but this batch must neither count it (its new
            // owner starts from this batch's start) nor claim its task (`batchAssignment`). No
            // rebalance can happen after this until the next batch polls.
            let assigned = Set(client.assignment())
            let lost = Set(partitions).subtracting(assigned).subtracting(revoked)
            if !lost.isEmpty {
                warn("\(lost.sorted().map(\.description).joined(separator: ", ")) moved to another member during the batch")
                revoked.formUnion(lost)
                records.removeAll { lost.contains(TopicPartition(topic: $0.topic, partition: $0.partition)) }
            }
        }
        state.withLock { state in
            state.next = positions.filter { !revoked.contains($0.key) }
            for range in cut where !revoked.contains(range.topicPartition) { state.next[range.topicPartition] = range.until }
            state.ranges = nonEmpty.filter { !revoked.contains($0.topicPartition) }
            state.pinnedUntil = pinned
            state.batchAssignment = (state.assignments, partitions.filter { !revoked.contains($0) })
        }
        return records
    }

    /// Before a group member reads a batch, it commits where the batch starts and, beside it,
    /// where it ends: if the member dies before completing the batch, the partition's next
    /// owner re-reads exactly that range as its first batch. Stages after the source that write
    /// to Kafka (a keyed shuffle) then see the same batches again and can recognize them.
    /// Returns false when the group is rebalancing: the batch then reads nothing, and the next
    /// one reads what the group assigns.
    private func commitIntent(_ ranges: [OffsetRange], _ client: RDKafkaClient, deadline: ContinuousClock.Instant) throws -> Bool
    {
        guard !ranges.isEmpty else { return true }
        let (starts, ends) = Self.intent(of: ranges)
        do {
            _ = try retrying(until: deadline) {
                try bounded(
                    "committing the batch's offsets to the group", [{ @Sendable in try client.commit(starts, metadata: ends) }],
                    until: deadline)
            }
            return true
        } catch let error as KafkaError where [.rebalanceInProgress, .illegalGeneration, .unknownMemberID].contains(error.code) {
            warn("\(error): this batch reads nothing; the next one reads what the group assigns")
            return false
        }
    }

    /// With `.consumerGroup`: whether the group still counts this member in the generation that
    /// assigned the last batch's partitions (asked by committing the batch's intent again). A
    /// member the group moved on without — it took too long to rejoin — must not act as their
    /// owner: another member may have them now.
    func confirmMembership() -> Bool {
        guard let client = state.withLock({ $0.client }) else { return false }
        let (ranges, partitions, next) = state.withLock { ($0.ranges, $0.batchAssignment.partitions, $0.next) }
        guard !partitions.isEmpty else { return true }
        // Offsets are committed only for partitions this member still owns: a commit for one
        // that moved would rewind its new owner.
        guard Set(partitions).isSubset(of: client.assignment()) else {
            warn("the group moved some of \(partitions.map(\.description).joined(separator: ", ")) to another member")
            return false
        }
        let (starts, metadata) = Self.intent(of: ranges)
        let offsets = next.filter { partitions.contains($0.key) }.merging(starts) { _, start in start }
        do {
            _ = try bounded(
                "confirming this member's partitions",
                [{ @Sendable [offsets, metadata] in try client.commit(offsets, metadata: metadata) }],
                until: .now + options.requestTimeout)
            return true
        } catch {
            warn("\(error): this member may no longer own \(partitions.map(\.description).joined(separator: ", "))")
            return false
        }
    }

    /// What an intent commit commits: each range's start, with `until=` and its end beside it.
    private static func intent(of ranges: [OffsetRange]) -> (offsets: [TopicPartition: Int64], metadata: [TopicPartition: String])
    {
        (
            Dictionary(uniqueKeysWithValues: ranges.map { ($0.topicPartition, $0.from) }),
            Dictionary(uniqueKeysWithValues: ranges.map { ($0.topicPartition, "\(intentPrefix)\($0.until)") })
        )
    }

    /// The metadata of an intent commit: `until=` and the end of the batch.
    private static let intentPrefix = "until="

    /// The partitions the group assigns now: lets rebalances take effect, forgets partitions
    /// that moved away, and starts new ones at the group's committed offsets.
    private func groupPartitions(
        _ client: RDKafkaClient, _ reader: OffsetRangeReader, deadline: ContinuousClock.Instant,
        positions: inout [TopicPartition: Int64]
    ) throws -> [TopicPartition] {
        reader.serveGroupEvents(warn: warn)
        let assigned = client.assignment()
        let moved = positions.keys.filter { !assigned.contains($0) }
        for partition in moved { positions[partition] = nil }
        reader.forget(moved)
        if !moved.isEmpty {
            warn(
                "partitions now read by another member of the group: \(moved.sorted().map(\.description).joined(separator: ", "))"
            )
        }
        let arrived = assigned.filter { positions[$0] == nil }
        if !arrived.isEmpty {
            let starts = try retrying(until: deadline) { try startingOffsets(for: arrived, client, until: deadline) }
            positions.merge(starts) { current, _ in current }
        }
        return assigned
    }

    public var hasPendingRecords: Bool { false }

    public func didCompleteBatch(at time: BatchTime) {
        guard options.commitToGroup || inGroup, let client = state.withLock({ $0.client }) else { return }
        var offsets = state.withLock { $0.next }
        if inGroup {  // never for a partition that moved: it would rewind its new owner
            let assigned = Set(client.assignment())
            offsets = offsets.filter { assigned.contains($0.key) }
        }
        do {
            // librdkafka's synchronous commit waits for ever while the group coordinator is
            // unreachable: bounded, it cannot hold the scheduler (nor a stop) hostage.
            _ = try bounded(
                "committing offsets to the group", [{ @Sendable [offsets] in try client.commit(offsets) }],
                until: .now + options.requestTimeout)
        } catch {
            warn("\(error); retried after the next batch")
        }
    }

    /// Where the last completed batch ended, for partitions the group is taking away.
    private func offsets(of partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        let revoked = Set(partitions)
        return state.withLock { $0.next.filter { revoked.contains($0.key) } }
    }

    private func warn(_ warning: String) {
        logger.warning("\(warning)")
        state.withLock { $0.warnings.append(warning) }
        options.onWarning?(warning)
    }

    /// True once `stop()` was called: work still running for a batch should give up soon.
    var isStopped: Bool { state.withLock { $0.stopped } }

    /// A retriable error after `readTimeout`: it says which brokers could not be reached, so
    /// whoever reads it knows where to look.
    private func givingUp(_ error: KafkaError) -> KafkaError {
        guard !error.message.contains(configuration.bootstrapServers) else { return error }
        var final = error
        final.message +=
            "; gave up after \(options.readTimeout) without an answer from the brokers at \(configuration.bootstrapServers)"
        return final
    }

    /// Runs `request` until it succeeds, retrying retriable Kafka errors with backoff
    /// (100 ms doubling to 2 s) until `deadline`, or until the source is stopped.
    private func retrying<T>(until deadline: ContinuousClock.Instant, _ request: () throws -> T) throws -> T {
        var delay = Duration.milliseconds(100)
        var last: String?
        while true {
            do {
                return try request()
            } catch let error as KafkaError where error.isRetriable && ContinuousClock.now + delay < deadline && !isStopped {
                if last != error.message { warn(error.description) }
                last = error.message
                Thread.sleep(forTimeInterval: Double(delay.wholeMilliseconds) / 1000)
                delay = min(delay * 2, .seconds(2))
            } catch let error as KafkaError where error.isRetriable {
                throw givingUp(error)
            }
        }
    }

    public func takeWarnings() -> [String] {
        state.withLock { state in
            defer { state.warnings.removeAll() }
            return state.warnings
        }
    }

    private struct Position: Codable {
        var topic: String
        var partition: Int32
        var offset: Int64
    }

    public var isReplayable: Bool { true }

    /// The checkpoint position: the cluster's id and the next offset of every partition.
    private struct SavedPosition: Codable {
        var clusterID: String?
        var offsets: [Position]
    }

    public func checkpointPosition() throws -> Data? {
        let (cluster, offsets) = state.withLock { ($0.clusterID, $0.next) }
        return try JSONEncoder().encode(
            SavedPosition(
                clusterID: cluster,
                offsets: offsets.map { Position(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) }))
    }

    /// Continues from a saved position; `start()` refuses it if the cluster is another one.
    public func restore(position: Data) throws {
        let saved =
            if let current = try? JSONDecoder().decode(SavedPosition.self, from: position) {
                current
            } else {  // written before cluster ids were saved
                SavedPosition(clusterID: nil, offsets: try JSONDecoder().decode([Position].self, from: position))
            }
        let next = Dictionary(
            uniqueKeysWithValues: saved.offsets.map { (TopicPartition(topic: $0.topic, partition: $0.partition), $0.offset) })
        state.withLock { state in
            // A group member continues each partition from the group's commit: its owner may
            // have changed since this checkpoint.
            if !inGroup { state.next = next }
            state.restoredClusterID = saved.clusterID
            state.restored = !inGroup
        }
    }

    private func cap(_ from: Int64, _ high: Int64) -> Int64 {
        options.maxRecordsPerPartition.map { min(high, from + Int64($0)) } ?? high
    }

    private func currentPartitions(_ client: RDKafkaClient, until deadline: ContinuousClock.Instant) throws -> [TopicPartition] {
        let timeout = options.requestTimeout
        let counts = try bounded(
            "reading the metadata of \(options.topics.joined(separator: ", "))",
            options.topics.map { topic in
                { try client.partitionCount(of: topic, timeout: timeout) }
            }, until: deadline)
        return zip(options.topics, counts).flatMap { topic, count in
            (0..<Int32(count)).map { TopicPartition(topic: topic, partition: $0) }
        }
    }

    /// The low and high watermarks of `partitions`, asked of the brokers concurrently.
    private func watermarks(
        of partitions: [TopicPartition], _ client: RDKafkaClient, until deadline: ContinuousClock.Instant
    ) throws -> [(low: Int64, high: Int64)] {
        let timeout = options.requestTimeout
        return try bounded(
            "reading the offsets of \(options.topics.joined(separator: ", "))",
            partitions.map { partition in
                { try client.watermarks(partition, timeout: timeout) }
            }, until: deadline
        ).map { ($0.0, $0.1) }
    }

    /// Runs librdkafka calls that could block past their timeout, bounded by `requestTimeout`
    /// and by `deadline` (the batch's `readTimeout`).
    private func bounded<T: Sendable>(
        _ operation: String, _ calls: [@Sendable () throws -> T], until deadline: ContinuousClock.Instant
    ) throws -> [T] {
        try BoundedCall.all(
            calls, operation: operation, brokers: configuration.bootstrapServers,
            deadline: min(deadline, ContinuousClock.now + options.requestTimeout + .milliseconds(500)),
            isCancelled: { [weak self] in self?.isStopped ?? true })
    }

    private func startingOffsets(
        for partitions: [TopicPartition], _ client: RDKafkaClient, until deadline: ContinuousClock.Instant
    ) throws -> [TopicPartition: Int64] {
        var starts: [TopicPartition: Int64] = [:]
        let commits: [TopicPartition: (offset: Int64, metadata: String)?]
        let timeout = options.requestTimeout
        let fromCommits = if case .committed = options.startingOffsets { true } else { false }
        // In a group, a partition moving between members continues from the group's commit.
        if fromCommits || inGroup {
            commits = try bounded(
                "reading the committed offsets", [{ try client.committedWithMetadata(partitions, timeout: timeout) }],
                until: deadline)[0]
        } else {
            commits = [:]
        }
        let committed = commits.mapValues { $0?.offset }
        let allMarks = try watermarks(of: partitions, client, until: deadline)
        for (partition, marks) in zip(partitions, allMarks) {
            if inGroup, let commit = commits[partition] ?? nil {
                starts[partition] = commit.offset
                if commit.metadata.hasPrefix(Self.intentPrefix),
                    let until = Int64(commit.metadata.dropFirst(Self.intentPrefix.count)),
                    until > commit.offset
                {
                    state.withLock { $0.pinnedUntil[partition] = (commit.offset, until) }
                }
                continue
            }
            switch options.startingOffsets {
            case .earliest: starts[partition] = marks.low
            case .latest: starts[partition] = marks.high
            case .explicit(let offsets): starts[partition] = offsets[partition] ?? marks.low
            case .committed(let fallback):
                starts[partition] = (committed[partition] ?? nil) ?? (fallback == .earliest ? marks.low : marks.high)
            }
        }
        return starts
    }
}

extension StreamingContext {
    /// A direct stream of Kafka records (Spark's `KafkaUtils.createDirectStream`).
    public func kafkaDirectStream(
        _ configuration: KafkaConfiguration, options: KafkaDirectSource.Options, name: String = "kafka"
    ) -> DStream<KafkaRecord> {
        stream(from: KafkaDirectSource(configuration, options: options), name: name)
    }
}
