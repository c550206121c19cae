extension DStream {
    /// A stream of the whole keyed state after each batch (Spark's `updateStateByKey`).
    ///
    /// Every batch, `update` runs for every key in state — with the key's new values, or none
    /// when idle — and for every new key with `nil` as its old state. Returning nil removes
    /// the key. The stream emits every key still in state, even in empty batches.
    ///
    /// ```swift
    /// let totals = counts.updateStateByKey { (new: [Int], old: Int?) in (old ?? 0) + new.reduce(0, +) }
    /// ```
    /// - Parameters:
    ///   - name: the state's name in checkpoints; default: this stream's lineage.
    ///   - update: the key's new values and its previous state → its next state (nil removes it).
    /// - Important: Needs a checkpoint store (checked by `start()`); cost per batch is
    ///   proportional to the number of keys in state, as in Spark.
    @inlinable
    public func updateStateByKey<Key: Hashable & Codable & Sendable, Value: Sendable, State: Codable & Sendable>(
        name: String? = nil,
        _ update: @escaping @Sendable ([Value], State?) throws -> State?
    ) -> DStream<(Key, State)> where Element == (Key, Value) {
        let store = PartitionedState<Key, StampedState<State>>(partitionCount: executor.parallelism)
        let stateName = name ?? lineage + "/updateStateByKey"
        context.register(participant: store, named: stateName)
        context.requireCheckpoint(by: "updateStateByKey '\(stateName)'")
        let name = failureName("updateStateByKey")
        return derive("updateStateByKey") { [executor] stage, position in
            try attributing(to: name) {
                // Input already partitioned by key (e.g. reduceByKey's output) arrives one record
                // per key: walk it in place. Otherwise group it by key first.
                let inPlace = stage.isHashPartitionedByKey && stage.partitions.count == executor.parallelism
                let groups: [[Key: [Value]]] = inPlace ? [] : try stage.groupByKey(on: executor)
                let stamp = position.index
                try store.update(on: executor) { state, j in
                    var removed: [Key] = []
                    var scratch: [Value] = []
                    func forEachArrival(_ body: (Key, [Value]) throws -> Void) throws {
                        guard inPlace else { return try groups[j].forEach(body) }
                        try stage.partitions[j]() { record in
                            scratch.append(record.1)
                            try body(record.0, scratch)
                            scratch.removeAll(keepingCapacity: true)
                        }
                    }
                    // Keys with new values: one lookup each; new keys are inserted.
                    try forEachArrival { key, values in
                        if let i = state.index(forKey: key) {
                            if let next = try update(values, state.values[i].value) {
                                state.values[i] = StampedState(value: next, stamp: stamp)
                            } else {
                                state.values[i].stamp = stamp  // not idle: the idle pass skips it
                                removed.append(key)
                            }
                        } else if let first = try update(values, nil) {
                            state[key] = StampedState(value: first, stamp: stamp)
                        }
                    }
                    // Idle keys: one pass over the state, no hashing.
                    var i = state.startIndex
                    while i != state.endIndex {
                        if state.values[i].stamp != stamp {
                            if let next = try update([], state.values[i].value) {
                                state.values[i].value = next
                            } else {
                                removed.append(state.keys[i])
                            }
                        }
                        state.formIndex(after: &i)
                    }
                    for key in removed { state.removeValue(forKey: key) }
                }
                return Stage(
                    partitions: store.partitions.map { partition in
                        Stage<(Key, State)>.Partition { emit in for (key, entry) in partition { try emit((key, entry.value)) } }
                    })
            }
        }
    }
}

/// A key's state and the batch that last gave it new values.
@usableFromInline
struct StampedState<Value: Codable & Sendable>: Codable, Sendable {
    @usableFromInline var value: Value
    @usableFromInline var stamp: Int

    @inlinable
    init(value: Value, stamp: Int) {
        self.value = value
        self.stamp = stamp
    }

    /// Only the value is saved: stamps matter within a batch.
    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }

    public init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
        stamp = 0
    }
}
