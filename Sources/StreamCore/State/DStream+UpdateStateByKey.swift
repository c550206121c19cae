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
    /// - Parameter name: the state's name in checkpoints; default: this stream's lineage.
    /// - Important: Needs a checkpoint store (checked by `start()`); cost per batch is
    ///   proportional to the number of keys in state, as in Spark.
    @inlinable
    public func updateStateByKey<Key: Hashable & Codable & Sendable, Value: Sendable, State: Codable & Sendable>(
        name: String? = nil,
        _ update: @escaping @Sendable ([Value], State?) throws -> State?
    ) -> DStream<(Key, State)> where Element == (Key, Value) {
        let store = PartitionedState<Key, State>(partitionCount: executor.parallelism)
        let stateName = name ?? lineage + "/updateStateByKey"
        context.register(participant: store, named: stateName)
        context.requireCheckpoint(by: "updateStateByKey '\(stateName)'")
        return derive("updateStateByKey") { [executor] stage, _ in
            let groups: [[Key: [Value]]] = try stage.groupByKey(on: executor)
            try store.update(on: executor) { state, j in
                let arrivals = groups[j]
                let newKeys = arrivals.keys.filter { state.index(forKey: $0) == nil }
                var removed: [Key] = []
                var i = state.startIndex
                while i != state.endIndex {
                    let key = state.keys[i]
                    if let next = try update(arrivals[key] ?? [], state.values[i]) {
                        state.values[i] = next
                    } else {
                        removed.append(key)
                    }
                    state.formIndex(after: &i)
                }
                for key in removed { state.removeValue(forKey: key) }
                for key in newKeys {
                    if let first = try update(arrivals[key] ?? [], nil) { state[key] = first }
                }
            }
            return Stage(dictionaries: store.partitions)
        }
    }
}
