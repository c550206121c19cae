extension DStream {
    /// A stream whose batches are sorted by `areInIncreasingOrder` (stable), range-partitioned
    /// as Spark's `sortBy` is: each partition is sorted and precedes the next, so reading the
    /// partitions in order reads the whole batch in order, and outputs encode them in parallel.
    @inlinable
    public func sorted(by areInIncreasingOrder: @escaping @Sendable (Element, Element) -> Bool) -> DStream<Element> {
        sorted(by: areInIncreasingOrder) { $0.sorted(by: areInIncreasingOrder) }
    }

    /// `sorted(by:)`, with `sortPartition` sorting each partition's records the same way.
    @inlinable
    func sorted(
        by areInIncreasingOrder: @escaping @Sendable (Element, Element) -> Bool,
        sortPartition: @escaping @Sendable ([Element]) -> [Element]
    ) -> DStream<Element> {
        derive("sorted") { [executor] stage, _ in
            let sorted = try executor.map(stage.partitions.count) { p in
                var records: [Element] = []
                try stage.partitions[p]() { records.append($0) }
                return sortPartition(records)
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
        guard Key.self == Word.self, Value.self == Int.self else { return sorted(by: byValueDescending) }
        // Word counts, the tutorials' most common ranking, sort by numbers (see `sortedWordCounts`).
        return sorted(by: byValueDescending) { records in
            unsafeBitCast(sortedWordCounts(unsafeBitCast(records, to: [(Word, Int)].self)), to: [(Key, Value)].self)
        }
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

/// Word counts sorted by count descending, ties by word, stably. The sort moves a key of five
/// numbers per record (the count, the word's first 23 bytes as three numbers, the position),
/// and only keys that tie on all of them compare the words: sorting the pairs themselves
/// retained and released a long word's bytes at every move and comparison, a quarter of
/// `kafka-wordcount`'s CPU.
@usableFromInline
func sortedWordCounts(_ records: [(Word, Int)]) -> [(Word, Int)] {
    struct SortKey {
        var count: Int
        var head: UInt64
        var middle: UInt64
        var tail: UInt64
        var index: Int
    }
    return records.withUnsafeBufferPointer { records in
        var keys: [SortKey] = []
        keys.reserveCapacity(records.count)
        for (index, record) in records.enumerated() {
            let prefix = record.0.orderPrefix
            keys.append(SortKey(count: record.1, head: prefix.0, middle: prefix.1, tail: prefix.2, index: index))
        }
        // A total order (the position breaks every tie), so an unstable sort in place gives the
        // order a stable one would, without the standard library's merges through a buffer.
        keys.withUnsafeMutableBufferPointer { keys in
            introsort(keys) { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.head != b.head { return a.head < b.head }
                if a.middle != b.middle { return a.middle < b.middle }
                if a.tail != b.tail { return a.tail < b.tail }
                let left = records[a.index].0, right = records[b.index].0
                if left != right { return left < right }
                return a.index < b.index
            }
        }
        return keys.map { records[$0.index] }
    }
}

/// Sorts `keys` by `less`, a strict total order (no two keys equal): quicksort on the median
/// of three, insertion sort for short ranges, and the standard library's sort for a range
/// nested more than 2·log₂ n partitions deep (the worst case stays O(n log n)).
@inline(__always)
func introsort<Key>(_ keys: UnsafeMutableBufferPointer<Key>, by less: (Key, Key) -> Bool) {
    // The depth is counted along each path of the recursion: one count for the whole sort
    // handed most of every large sort to the fallback after its first few dozen partitions.
    func sort(_ low: Int, _ high: Int, depthLimit: Int) {
        var low = low, high = high, depthLimit = depthLimit
        while high - low > 16 {
            if depthLimit == 0 {
                var range = UnsafeMutableBufferPointer(rebasing: keys[low..<high])
                return range.sort(by: less)
            }
            depthLimit -= 1
            let middle = low + (high - low) / 2
            if less(keys[middle], keys[low]) { keys.swapAt(middle, low) }
            if less(keys[high - 1], keys[middle]) {
                keys.swapAt(high - 1, middle)
                if less(keys[middle], keys[low]) { keys.swapAt(middle, low) }
            }
            let pivot = keys[middle]
            // Hoare's partition: [low, j] holds no key after the pivot, [j + 1, high) none before.
            var i = low - 1, j = high
            while true {
                repeat { i += 1 } while less(keys[i], pivot)
                repeat { j -= 1 } while less(pivot, keys[j])
                if i >= j { break }
                keys.swapAt(i, j)
            }
            // Recurse into the smaller side, loop on the larger: the stack stays O(log n).
            if j + 1 - low < high - (j + 1) {
                sort(low, j + 1, depthLimit: depthLimit)
                low = j + 1
            } else {
                sort(j + 1, high, depthLimit: depthLimit)
                high = j + 1
            }
        }
        guard high - low > 1 else { return }
        for i in (low + 1)..<high {
            let key = keys[i]
            var j = i
            while j > low, less(key, keys[j - 1]) {
                keys[j] = keys[j - 1]
                j -= 1
            }
            keys[j] = key
        }
    }
    sort(0, keys.count, depthLimit: 2 * (Int.bitWidth - keys.count.leadingZeroBitCount))
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
