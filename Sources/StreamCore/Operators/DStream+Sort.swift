extension DStream {
    /// A stream whose batches are sorted by `areInIncreasingOrder`, as one partition.
    @inlinable
    public func sorted(by areInIncreasingOrder: @escaping @Sendable (Element, Element) -> Bool) -> DStream<Element> {
        derive("sorted") { [executor] stage, _ in
            let sorted = try executor.map(stage.partitions.count) { p in
                var records: [Element] = []
                try stage.partitions[p]() { records.append($0) }
                return records.sorted(by: areInIncreasingOrder)
            }
            return Stage(materialized: [mergeSorted(sorted, by: areInIncreasingOrder)])
        }
    }

    /// A stream of the first `count` records of each batch in the order `areInIncreasingOrder`
    /// defines, without sorting whole partitions.
    @inlinable
    public func top(_ count: Int, by areInIncreasingOrder: @escaping @Sendable (Element, Element) -> Bool) -> DStream<Element> {
        derive("top(\(count))") { [executor] stage, _ in
            let candidates = try executor.map(stage.partitions.count) { p in
                var best: [Element] = []
                try stage.partitions[p]() { record in
                    guard best.count < count || areInIncreasingOrder(record, best[best.count - 1]) else { return }
                    let at = best.partitioningIndex { areInIncreasingOrder(record, $0) }
                    best.insert(record, at: at)
                    if best.count > count { best.removeLast() }
                }
                return best
            }
            return Stage(materialized: [Array(mergeSorted(candidates, by: areInIncreasingOrder).prefix(count))])
        }
    }
}

extension DStream {
    /// Sorted by value, largest first, ties by key ascending: how the tutorials rank words.
    @inlinable
    public func sortedByValueDescending<Key: Comparable & Sendable, Value: Comparable & Sendable>() -> DStream<(Key, Value)>
    where Element == (Key, Value) {
        sorted(by: byValueDescending)
    }

    /// The `count` pairs with the largest values, ties by key ascending.
    @inlinable
    public func topByValue<Key: Comparable & Sendable, Value: Comparable & Sendable>(_ count: Int) -> DStream<(Key, Value)>
    where Element == (Key, Value) {
        top(count, by: byValueDescending)
    }
}

@Sendable @inlinable
func byValueDescending<Key: Comparable, Value: Comparable>(_ a: (Key, Value), _ b: (Key, Value)) -> Bool {
    a.1 != b.1 ? a.1 > b.1 : a.0 < b.0
}

/// Merges sorted arrays into one sorted array (stable: earlier arrays first on ties).
@inlinable
func mergeSorted<T>(_ runs: [[T]], by areInIncreasingOrder: (T, T) -> Bool) -> [T] {
    var merged = runs.first ?? []
    for run in runs.dropFirst() {
        var result: [T] = []
        result.reserveCapacity(merged.count + run.count)
        var i = 0, j = 0
        while i < merged.count, j < run.count {
            if areInIncreasingOrder(run[j], merged[i]) {
                result.append(run[j]); j += 1
            } else {
                result.append(merged[i]); i += 1
            }
        }
        result.append(contentsOf: merged[i...])
        result.append(contentsOf: run[j...])
        merged = result
    }
    return merged
}

extension Array {
    /// The first index whose element satisfies `predicate` (the array is partitioned by it).
    @inlinable
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if predicate(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
