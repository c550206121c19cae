/// Spark's per-batch (RDD) operations, for `transform` and `foreachBatch`:
///
/// ```swift
/// let topAuthors = authors.countByValue().transform { $0.sortedByValueDescending().prefix(5) }
/// ```
///
/// Element-wise operations keep the batch's partitions; ordering operations return one
/// partition, as a sorted RDD collected to the driver would be.
extension Batch {
    /// The records sorted by `areInIncreasingOrder` (Spark's `sortBy` with a comparison).
    public func sorted(by areInIncreasingOrder: (Element, Element) throws -> Bool) rethrows -> Batch {
        Batch(try records.sorted(by: areInIncreasingOrder))
    }

    /// The records sorted by the key `key` gives each (Spark's `sortBy(keyfunc, ascending)`);
    /// records with equal keys keep their order.
    public func sorted<Key: Comparable>(on key: (Element) throws -> Key, ascending: Bool = true) rethrows -> Batch {
        let keyed = try records.map { (key: try key($0), record: $0) }
        let sorted = keyed.sorted { ascending ? $0.key < $1.key : $0.key > $1.key }  // Swift's sort is stable
        return Batch(sorted.map(\.record))
    }

    /// The first `count` records, as a batch (`take` gives them as an array).
    public func prefix(_ count: Int) -> Batch {
        Batch(take(count))
    }

    /// The first `count` records (Spark's `take`).
    public func take(_ count: Int) -> [Element] {
        var taken: [Element] = []
        for partition in partitions where taken.count < count {
            taken.append(contentsOf: partition.prefix(count - taken.count))
        }
        return taken
    }

    /// The first record, nil for an empty batch (Spark's `first`, which throws instead).
    public var first: Element? { partitions.first { !$0.isEmpty }?.first }

    /// `transform` of every record.
    public func map<T: Sendable>(_ transform: (Element) throws -> T) rethrows -> Batch<T> {
        Batch<T>(partitions: try partitions.map { try $0.map(transform) })
    }

    /// The records `isIncluded` accepts.
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> Batch {
        Batch(partitions: try partitions.map { try $0.filter(isIncluded) })
    }

    /// The non-nil results of `transform`.
    public func compactMap<T: Sendable>(_ transform: (Element) throws -> T?) rethrows -> Batch<T> {
        Batch<T>(partitions: try partitions.map { try $0.compactMap(transform) })
    }

    /// The records of the sequences `transform` returns (Spark's `flatMap`).
    public func flatMap<S: Sequence>(_ transform: (Element) throws -> S) rethrows -> Batch<S.Element> where S.Element: Sendable {
        Batch<S.Element>(partitions: try partitions.map { try $0.flatMap(transform) })
    }

    /// All records combined with `combine`; nil for an empty batch (Spark's `reduce`, which
    /// throws instead).
    public func reduce(_ combine: (Element, Element) throws -> Element) rethrows -> Element? {
        var result: Element?
        for partition in partitions {
            for record in partition { result = try result.map { try combine($0, record) } ?? record }
        }
        return result
    }
}

extension Batch {
    /// Key/value records by value, largest first, ties by key ascending: how the tutorials
    /// rank counts.
    public func sortedByValueDescending<Key: Comparable & Sendable, Value: Comparable & Sendable>() -> Batch
    where Element == (Key, Value) {
        sorted(by: byValueDescending)
    }
}
