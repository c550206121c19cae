/// The one shuffle of the engine: key/value records are combined per key inside each input
/// partition (map-side combine), then hash-partitioned so each key lands in exactly one
/// output partition, where the partial combiners are merged.
extension Stage {
    @inlinable
    func combineByKey<Key: Hashable & Sendable, Value: Sendable, Combiner: Sendable>(
        on executor: ParallelExecutor,
        create: (Value) throws -> Combiner,
        merge: (inout Combiner, Value) throws -> Void,
        mergeCombiners: (inout Combiner, Combiner) throws -> Void
    ) throws -> [[Key: Combiner]] where Element == (Key, Value) {
        let outputs = executor.parallelism
        let mapSide: [[[Key: Combiner]]] = try executor.map(partitions.count) { p in
            let combined = CombineTable<Key, Combiner>()
            try partitions[p]() { record in try combined.combine(record.0, record.1, create: create, merge: merge) }
            return combined.drain(into: outputs)
        }
        guard mapSide.count > 1 || outputs > 1 else { return mapSide.first ?? [[:]] }
        return try executor.map(outputs) { j in
            var merged: [Key: Combiner] = [:]
            for buckets in mapSide {
                if merged.isEmpty {
                    merged = buckets[j]
                    // Room for every key of the other map partitions, reserved once.
                    merged.reserveCapacity(mapSide.reduce(0) { $0 + $1[j].count })
                    continue
                }
                for (key, combiner) in buckets[j] {
                    if let i = merged.index(forKey: key) {
                        try mergeCombiners(&merged.values[i], combiner)
                    } else {
                        merged[key] = combiner
                    }
                }
            }
            return merged
        }
    }

    /// Groups values by key, keeping each key's values in arrival order within a partition.
    @inlinable
    func groupByKey<Key: Hashable & Sendable, Value: Sendable>(
        on executor: ParallelExecutor
    ) throws -> [[Key: [Value]]] where Element == (Key, Value) {
        if isHashPartitionedByKey, partitions.count == executor.parallelism {
            return try executor.map(partitions.count) { j in
                var groups: [Key: [Value]] = [:]
                try partitions[j]() { groups[$0.0] = [$0.1] }
                return groups
            }
        }
        return try combineByKey(
            on: executor, create: { [$0] }, merge: { $0.append($1) }, mergeCombiners: { $0.append(contentsOf: $1) })
    }

    /// A stage emitting the entries of hash-partitioned dictionaries.
    @inlinable
    init<Key: Hashable & Sendable, Value: Sendable>(dictionaries: [[Key: Value]]) where Element == (Key, Value) {
        self.init(
            partitions: dictionaries.map { dictionary in
                { emit in for (key, value) in dictionary { try emit((key, value)) } }
            })
        isHashPartitionedByKey = true
    }
}

extension Dictionary {
    /// The partition a key belongs to among `count` hash partitions.
    @inlinable @inline(__always)
    static func partition(of key: Key, among count: Int) -> Int {
        Int(UInt(bitPattern: key.hashValue) % UInt(count))
    }
}
