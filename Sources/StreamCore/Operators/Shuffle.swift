/// The one shuffle of the engine: key/value records are combined per key inside each input
/// partition (map-side combine), then hash-partitioned so each key lands in exactly one
/// output partition, where the partial combiners are merged.
extension Stage {
    @inlinable
    func combineByKey<Key: Hashable & Sendable, Value: Sendable, Combiner: Sendable>(
        on executor: ParallelExecutor,
        tables kept: CombineTables<Key, Combiner>? = nil,
        create: (Value) throws -> Combiner,
        merge: (inout Combiner, Value) throws -> Void,
        mergeCombiners: (inout Combiner, Combiner) throws -> Void
    ) throws -> [[Key: Combiner]] where Element == (Key, Value) {
        let outputs = executor.parallelism
        let tables = kept?.tables(for: partitions.count) ?? partitions.indices.map { _ in CombineTable<Key, Combiner>() }
        // Map partition p's share of output j at p * outputs + j.
        var shares: [[Key: Combiner]] = try executor.map(partitions.count) { p in
            let combined = tables[p]
            if combined.count > 0 { _ = combined.drain(into: 1) }  // left over by a batch that failed
            let waiting = Lookahead<Key, Value>()
            try partitions[p]() { record in
                let hash = combined.hash(of: record.0)
                combined.prefetch(hash: hash)
                if let oldest = waiting.push(record.0, record.1, hash: hash) {
                    try combined.combine(oldest.key, oldest.value, hash: oldest.hash, create: create, merge: merge)
                }
            }
            while let oldest = waiting.pop() {
                try combined.combine(oldest.key, oldest.value, hash: oldest.hash, create: create, merge: merge)
            }
            return combined.drain(into: outputs)
        }.flatMap { $0 }
        guard shares.count > 1 else { return shares.isEmpty ? Array(repeating: [:], count: outputs) : shares }
        let mapPartitions = shares.count / outputs
        return try shares.withUnsafeMutableBufferPointer { shares in
            // Sendable: task j reads and writes only the shares of output j.
            let shares = UncheckedSendable(shares)
            return try executor.map(outputs) { j in
                // Each share is moved out, merged and freed by this task, on this core: freed
                // at the end on one thread, they had kept the other core idle.
                var merged: [Key: Combiner] = [:]
                swap(&merged, &shares.value[j])
                // Room for every key of the other map partitions, reserved once.
                if mapPartitions > 1 {
                    merged.reserveCapacity((1..<mapPartitions).reduce(merged.count) { $0 + shares.value[$1 * outputs + j].count })
                }
                for p in 1..<max(1, mapPartitions) {
                    var share: [Key: Combiner] = [:]
                    swap(&share, &shares.value[p * outputs + j])
                    for (key, combiner) in share {
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
                Partition { emit in for (key, value) in dictionary { try emit((key, value)) } }
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
