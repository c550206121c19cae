/// One task of a keyed shuffle: the state of the keys that hash to it, and where that state
/// stands. Pure logic, no Kafka: `KafkaGroupState` reads the records and writes the entries.
struct ShuffleTask<Key: KafkaBytesCodable & Hashable, Value: KafkaBytesCodable> {
    /// A record read from the repartition topic.
    typealias Arrival = (offset: Int64, frame: RepartitionFrame, value: [UInt8])
    /// A record read from the changelog topic.
    typealias Entry = (offset: Int64, frame: ChangelogFrame, value: [UInt8])

    var state: [Key: Value] = [:]
    var position: ChangelogPosition
    /// Delta entries written since the last snapshot.
    var entriesSinceSnapshot = 0
    var hasSnapshot = false

    /// Folds the complete batches among `arrivals` (read up to offset `high`) into the state,
    /// each batch once and in its input partition's order, and moves `position.next` to the
    /// first record still needed: that of a batch not complete yet, else `high`.
    /// - Returns: the keys whose value changed.
    /// - Throws: `KafkaError` when a batch overlaps one applied before (two different cuts of
    ///   one input range: never the case when the source commits its intent).
    mutating func apply(
        _ arrivals: [Arrival], readUntil high: Int64, reduce: (Value, Value) -> Value
    ) throws -> Set<Key> {
        let batches = Dictionary(grouping: arrivals.filter { $0.offset >= position.next }, by: \.frame.batch)
            .mapValues { Self.eachPartOnce($0, part: \.frame.part) }
        var pending = batches.filter { Self.isComplete($0.value.map(\.frame.part), of: $0.value[0].frame.parts) }
            .sorted { $0.value.map(\.offset).max()! < $1.value.map(\.offset).max()! }
        var changed = Set<Key>()
        var progress = true
        while progress {
            progress = false
            var waiting: [(key: RepartitionFrame.BatchID, value: [Arrival])] = []
            for (batch, parts) in pending {
                let applied = position.applied[batch.input]
                if let applied, batch.until <= applied { continue }  // sent again: already counted
                if let applied, batch.from > applied {
                    waiting.append((batch, parts))  // an earlier batch of that input partition is not complete yet
                    continue
                }
                if let applied, batch.from < applied {
                    throw KafkaError(
                        operation:
                            "applying the batch [\(batch.from), \(batch.until)) of input partition \(batch.input) to task \(parts[0].frame.task)",
                        message:
                            "it overlaps what the task applied (up to \(applied)): two members cut that partition differently")
                }
                for part in parts.sorted(by: { $0.frame.part < $1.frame.part }) {
                    var reader = KafkaBytesReader(part.value)
                    try forEachPair(in: &reader) { (key: Key, value: Value) in
                        state[key] = state[key].map { reduce($0, value) } ?? value
                        changed.insert(key)
                    }
                }
                position.applied[batch.input] = batch.until
                progress = true
            }
            pending = waiting
        }
        let unfinished = batches.filter { batch, _ in position.applied[batch.input].map { batch.until > $0 } ?? true }
        position.next = max(position.next, unfinished.values.flatMap { $0.map(\.offset) }.min() ?? high)
        return changed
    }

    /// The task as its changelog left it: the latest complete snapshot among `entries`, then
    /// every complete entry after it, in order. Nil without a complete snapshot (an entry is
    /// complete when all its parts are there: a member that died while writing one left it
    /// incomplete, and the task then stands where the entry before it left it).
    static func restored(from entries: [Entry]) throws -> ShuffleTask? {
        let complete = Dictionary(grouping: entries, by: \.frame.entry).values
            .map { eachPartOnce($0.sorted { $0.offset < $1.offset }, part: \.frame.part) }
            .filter { isComplete($0.map(\.frame.part), of: $0[0].frame.parts) }
            .map { $0.sorted { $0.frame.part < $1.frame.part } }
            .sorted { $0[0].offset < $1[0].offset }
        guard let snapshot = complete.lastIndex(where: { $0[0].frame.isSnapshot }) else { return nil }
        var task = ShuffleTask(position: ChangelogPosition(next: 0, applied: [:]), hasSnapshot: true)
        for parts in complete[snapshot...] {
            for part in parts {
                var reader = KafkaBytesReader(part.value)
                if part.frame.part == 0 { task.position = try ChangelogPosition(reading: &reader) }
                try forEachPair(in: &reader) { (key: Key, value: Value) in task.state[key] = value }
            }
            task.entriesSinceSnapshot = parts[0].frame.isSnapshot ? 0 : task.entriesSinceSnapshot + 1
        }
        return task
    }

    /// The first copy of each part (by offset): a producer that retried a write whose
    /// acknowledgement was lost, or a member that sent the same range again after getting its
    /// partition back, leaves a part in the topic twice, and it must count once.
    private static func eachPartOnce<Record>(_ records: [Record], part: (Record) -> Int) -> [Record] {
        var seen = Set<Int>()
        return records.filter { seen.insert(part($0)).inserted }
    }

    private static func isComplete(_ parts: [Int], of count: Int) -> Bool {
        Set(parts) == Set(0..<count)
    }
}
