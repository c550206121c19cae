extension DStream {
    /// A stream of what `function` returns for each record, given the record's key, value and
    /// the key's state, which it may read, update or remove (Spark's `mapWithState`).
    ///
    /// With a `timeout`, a key that receives no record for that long is called once more with
    /// a nil value and `state.isTimingOut == true`, and then removed; what that call returns
    /// is emitted too. Timeouts are checked every batch.
    ///
    /// - Parameters:
    ///   - name: the state's name in checkpoints; default: this stream's lineage.
    ///   - timeout: idle time after which a key times out; nil keeps keys until removed.
    /// - Important: Needs a checkpoint store (checked by `start()`). Unlike
    ///   `updateStateByKey`, cost per batch is proportional to the records, not to the keys
    ///   (plus a scan of the state when a timeout is set).
    public func mapWithState<Key: Hashable & Codable & Sendable, Value: Sendable, State: Codable & Sendable, Mapped: Sendable>(
        name: String? = nil,
        timeout: Duration? = nil,
        _ function: @escaping @Sendable (Key, Value?, inout KeyedState<State>) throws -> Mapped
    ) -> DStream<Mapped> where Element == (Key, Value) {
        let store = PartitionedState<Key, TimedState<State>>(partitionCount: executor.parallelism)
        let stateName = name ?? lineage + "/mapWithState"
        context.register(participant: store, named: stateName)
        context.requireCheckpoint(by: "mapWithState '\(stateName)'")
        let timeoutMilliseconds = timeout?.wholeMilliseconds
        return derive("mapWithState") { [executor] stage, position in
            let now = position.time.milliseconds
            let records = try stage.shuffledInOrder(on: executor)
            var outputs = [[Mapped]](repeating: [], count: records.count)
            try outputs.withUnsafeMutableBufferPointer { outputs in
                try store.update(on: executor) { state, j in
                    for (key, value) in records[j] {
                        var keyed = KeyedState(value: state[key]?.value, isTimingOut: false)
                        outputs[j].append(try function(key, value, &keyed))
                        if let updated = keyed.value {
                            state[key] = TimedState(value: updated, lastSeen: now)
                        } else if keyed.changed {
                            state.removeValue(forKey: key)
                        } else {
                            state[key]?.lastSeen = now
                        }
                    }
                    guard let timeoutMilliseconds else { return }
                    let idle = state.filter { $0.value.lastSeen + timeoutMilliseconds <= now }
                    for (key, timed) in idle {
                        var keyed = KeyedState(value: timed.value, isTimingOut: true)
                        outputs[j].append(try function(key, nil, &keyed))
                        state.removeValue(forKey: key)
                    }
                }
            }
            return Stage(materialized: outputs)
        }
    }
}

extension Stage {
    /// Hash-partitions key/value records, keeping their arrival order within each partition.
    func shuffledInOrder<Key: Hashable & Sendable, Value: Sendable>(
        on executor: ParallelExecutor
    ) throws -> [[(Key, Value)]] where Element == (Key, Value) {
        let count = executor.parallelism
        let buckets: [[[(Key, Value)]]] = try executor.map(partitions.count) { p in
            var buckets = [[(Key, Value)]](repeating: [], count: count)
            try partitions[p]() { buckets[[Key: Value].partition(of: $0.0, among: count)].append($0) }
            return buckets
        }
        return (0..<count).map { j in buckets.flatMap { $0[j] } }
    }
}
