extension DStream {
    /// A stream whose batches are sorted by `areInIncreasingOrder` (stable), range-partitioned
    /// as Spark's `sortBy` is: each partition is sorted and precedes the next, so reading the
    /// partitions in order reads the whole batch in order, and outputs encode them in parallel.
    @inlinable
    public func sorted(by areInIncreasingOrder: @escaping @Sendable (Element, Element) -> Bool) -> DStream<Element> {
        derive("sorted") { [executor] stage, _ in
            let sorted = try executor.map(stage.partitions.count) { p in
                var records: [Element] = []
                try stage.partitions[p]() { records.append($0) }
                return records.sorted(by: areInIncreasingOrder)
            }
            return Stage(materialized: try mergeSorted(sorted, on: executor, by: areInIncreasingOrder))
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
            return Stage(materialized: [Array(mergeSorted(candidates.map { $0[...] }, by: areInIncreasingOrder).prefix(count))])
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

/// Merges sorted runs into one sorted range per core, merged in parallel: range *i* holds the
/// records not before the *i*-th splitter (quantiles of the longest run) and before the next,
/// so equal records share a range and the merge stays stable (earlier runs first on ties).
@inlinable
func mergeSorted<T>(_ runs: [[T]], on executor: ParallelExecutor, by areInIncreasingOrder: (T, T) -> Bool) throws -> [[T]] {
    let parts = executor.parallelism
    guard parts > 1, runs.reduce(0, { $0 + $1.count }) >= 1 << 12, let longest = runs.max(by: { $0.count < $1.count }) else {
        return runs.count == 1 ? runs : [mergeSorted(runs.map { $0[...] }, by: areInIncreasingOrder)]
    }
    let splitters = (1..<parts).map { longest[longest.count * $0 / parts] }
    let bounds = runs.map { run in
        [0] + splitters.map { splitter in run.partitioningIndex { !areInIncreasingOrder($0, splitter) } } + [run.count]
    }
    return try executor.map(parts) { part in
        mergeSorted(runs.indices.map { r in runs[r][bounds[r][part]..<bounds[r][part + 1]] }, by: areInIncreasingOrder)
    }
}

/// Merges sorted runs into one sorted array (stable: earlier runs first on ties).
@inlinable
func mergeSorted<T>(_ runs: [ArraySlice<T>], by areInIncreasingOrder: (T, T) -> Bool) -> [T] {
    var merged = Array(runs.first ?? [])
    for run in runs.dropFirst() {
        var result: [T] = []
        result.reserveCapacity(merged.count + run.count)
        var i = 0, j = run.startIndex
        while i < merged.count, j < run.endIndex {
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
