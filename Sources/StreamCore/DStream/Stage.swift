/// The lazy form of one batch inside the engine: a list of partitions, each a function that
/// pushes its records into a consumer.
///
/// Narrow operators (map, filter, flatMap, …) compose these functions, so a chain of them runs
/// as one loop per partition with no intermediate arrays; shuffles, windows, state and outputs
/// materialize a stage, partitions in parallel.
@usableFromInline
struct Stage<Element: Sendable>: Sendable {
    /// A function that pushes one partition's records into `emit`.
    @usableFromInline typealias Producer = @Sendable (_ emit: (Element) throws -> Void) throws -> Void

    /// One partition: its producer, kept in a struct so that an array of partitions stores the
    /// function as its own type says. Stored straight in an array, a function is held in the
    /// most general form (every result returned through memory), and each record then paid
    /// one extra conversion on the way into every consumer.
    @usableFromInline
    struct Partition: Sendable {
        @usableFromInline let produce: Producer

        @inlinable
        init(_ produce: @escaping Producer) {
            self.produce = produce
        }

        /// Pushes the partition's records into `emit`.
        @inlinable
        func callAsFunction(_ emit: (Element) throws -> Void) throws {
            try produce(emit)
        }
    }

    @usableFromInline var partitions: [Partition]
    /// Set when partition *j* holds each of its keys once, and exactly the keys whose hash
    /// modulo `partitions.count` is *j* (the output of a shuffle): a later shuffle by the same
    /// key can then skip the exchange (Spark's partitioner).
    @usableFromInline var isHashPartitionedByKey = false
    /// The partitions' records, when the stage was made from arrays: materializing it again
    /// hands them over instead of copying them (a copy retains every record, and freeing it
    /// releases each one through the runtime's generic witnesses).
    @usableFromInline var records: [[Element]]?
    /// The partitions' lines as bytes, when the stage is a file replay's batch (its `Element`
    /// is then `String`): `words()` reads them without making a string per line.
    @usableFromInline var lines: [LineBatch]?

    @inlinable
    init(partitions: [Partition]) {
        self.partitions = partitions
    }

    /// A stage over materialized partitions. Records are lent to `emit` in place: iterating
    /// the array would copy each one (a retain and a release per reference it holds) in
    /// generic code, for every consumer of a cached stream.
    @inlinable
    init(materialized: [[Element]]) {
        records = materialized
        partitions = materialized.map { records in
            Partition { emit in try records.withUnsafeBufferPointer { buffer in for i in buffer.indices { try emit(buffer[i]) } }
            }
        }
    }

    /// Cuts `records` into `count` contiguous partitions (never fewer than one).
    ///
    /// Lines (`String` records) are moved into one array per partition, so that when the batch
    /// is released each core frees its own partition's lines: freed as one array, on one
    /// thread, they kept the other cores idle between batches.
    @inlinable
    init(splitting records: consuming [Element], into count: Int) {
        let cuts = Self.cuts(of: records.count, into: count)
        if cuts.count > 1, Element.self == String.self {
            // Same type, so the cast is a no-op; consuming `records` leaves `lines` its only owner.
            var lines = unsafeBitCast(records, to: [String].self)
            _ = consume records
            let parts = cuts.map { cut in
                var part: [String] = []
                part.appendMoving(&lines, cut)
                return part
            }
            self.init(materialized: unsafeBitCast(parts, to: [[Element]].self))
            return
        }
        let records = records
        self.init(
            partitions: cuts.map { cut in
                let slice = records[cut]
                return Partition { emit in
                    try slice.withUnsafeBufferPointer { buffer in for i in buffer.indices { try emit(buffer[i]) } }
                }
            })
    }

    /// A batch of lines cut into `count` partitions as `init(splitting:into:)` cuts an array,
    /// each making its strings as it emits them.
    init(lines batch: LineBatch, into count: Int) where Element == String {
        let lines = Self.cuts(of: batch.count, into: count).map { batch.lines($0) }
        self.init(partitions: lines.map { part in Partition { emit in try part.forEachString(emit) } })
        self.lines = lines
    }

    /// `total` records cut into `count` contiguous ranges of equal size (the last may be
    /// shorter or empty), never fewer than one: how a batch becomes partitions.
    @inlinable
    static func cuts(of total: Int, into count: Int) -> [Range<Int>] {
        let count = max(1, min(count, total))
        let size = (total + count - 1) / count
        return (0..<count).map { p in min(p * size, total)..<min((p + 1) * size, total) }
    }

    @inlinable
    static var empty: Stage { Stage(partitions: []) }

    /// Applies a per-partition rewrite: `transform` receives a partition's producer and
    /// returns the new one.
    @inlinable
    func mapPartitions<U>(_ transform: (@escaping Producer) -> Stage<U>.Producer) -> Stage<U> {
        Stage<U>(partitions: partitions.map { Stage<U>.Partition(transform($0.produce)) })
    }

    /// Runs every partition, in parallel, collecting its records.
    @inlinable
    func materialize(on executor: ParallelExecutor) throws -> [[Element]] {
        if let records { return records }
        return try executor.map(partitions.count) { p in
            var records: [Element] = []
            try partitions[p]() { records.append($0) }
            return records
        }
    }
}

extension Array where Element == String {
    /// Moves `source[range]` to the end of this array, leaving empty strings in its place: no
    /// retain and release per line, and no touching of lines that another core just made.
    @usableFromInline
    mutating func appendMoving(_ source: inout [String], _ range: Range<Int>) {
        if capacity < count + range.count { reserveCapacity(Swift.max(count + range.count, 2 * capacity)) }
        source.withUnsafeMutableBufferPointer { source in
            let moved = UnsafeMutableBufferPointer(rebasing: source[range])
            guard let base = moved.baseAddress else { return }
            for i in 0..<moved.count { append((base + i).move()) }
            moved.initialize(repeating: "")
        }
    }
}
