import Locking

extension DStream {
    /// A stream of what `function` returns for each record, given the record's key, value and
    /// the key's state, which it may read, update or remove (Spark's `mapWithState`).
    ///
    /// With a `timeout`, a key that receives no record for that long is called once more with
    /// a nil value and `state.isTimingOut == true`, and then removed; what that call returns
    /// is emitted too. Timeouts are checked every batch.
    ///
    /// The result also gives the whole state after each batch: `stateSnapshots()`.
    ///
    /// - Parameters:
    ///   - name: the state's name in checkpoints; default: this stream's lineage.
    ///   - timeout: idle time after which a key times out; nil keeps keys until removed.
    ///   - initialState: the state keys start with when there is no checkpoint to restore
    ///     (Spark's `StateSpec.initialState`); a restored checkpoint replaces it.
    ///   - function: called per record with its key, value and the key's state.
    /// - Important: Needs a checkpoint store (checked by `start()`). Unlike
    ///   `updateStateByKey`, cost per batch is proportional to the records, not to the keys
    ///   (plus a scan of the state when a timeout is set).
    public func mapWithState<Key: Hashable & Codable & Sendable, Value: Sendable, State: Codable & Sendable, Mapped: Sendable>(
        name: String? = nil,
        timeout: Duration? = nil,
        initialState: [(Key, State)] = [],
        _ function: @escaping @Sendable (Key, Value?, inout KeyedState<State>) throws -> Mapped
    ) -> MapWithStateDStream<Key, State, Mapped> where Element == (Key, Value) {
        let store = PartitionedState<Key, TimedState<State>>(partitionCount: executor.parallelism)
        for (key, value) in initialState {
            let j = [Key: State].partition(of: key, among: store.partitions.count)
            store.partitions[j][key] = TimedState(value: value, lastSeen: TimedState<State>.notYetSeen)
        }
        let stampInitialState = Locked(!initialState.isEmpty)
        let stateName = name ?? lineage + "/mapWithState"
        context.register(participant: store, named: stateName)
        context.requireCheckpoint(by: "mapWithState '\(stateName)'")
        let timeoutMilliseconds = timeout?.wholeMilliseconds
        let parent = self
        return MapWithStateDStream(
            context: context, lineage: lineage + "/mapWithState", parents: [self], slide: slide, store: store
        ) { [unowned parent, executor] position in
            guard let stage = parent.current else { return nil }
            let now = position.time.milliseconds
            let records = try stage.shuffledInOrder(on: executor)
            var outputs = [[Mapped]](repeating: [], count: records.count)
            let stamp = stampInitialState.withLock { stamp in
                defer { stamp = false }; return stamp
            }
            try outputs.withUnsafeMutableBufferPointer { outputs in
                try store.update(on: executor) { state, j in
                    if stamp {
                        for (key, timed) in state where timed.lastSeen == TimedState<State>.notYetSeen {
                            state[key]?.lastSeen = now
                        }
                    }
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

/// The stream `mapWithState` returns: what its function emitted, and access to the state
/// itself (Spark's `MapWithStateDStream`).
///
/// Sendable: as `DStream`; its state store is Sendable on the same terms.
public final class MapWithStateDStream<Key: Hashable & Codable & Sendable, State: Codable & Sendable, Mapped: Sendable>:
    DStream<Mapped>, @unchecked Sendable
{
    private let store: PartitionedState<Key, TimedState<State>>

    init(
        context: StreamingContext, lineage: String, parents: [any GraphNode], slide: Int,
        store: PartitionedState<Key, TimedState<State>>,
        compute: @escaping (BatchPosition) throws -> Stage<Mapped>?
    ) {
        self.store = store
        super.init(context: context, lineage: lineage, parents: parents, slide: slide, compute: compute)
    }

    /// A stream of every key's state after each batch (Spark's `stateSnapshots`), partition
    /// by partition.
    public func stateSnapshots() -> DStream<(Key, State)> {
        derive("stateSnapshots") { [store] _, _ in
            Stage(materialized: store.partitions.map { partition in partition.map { ($0.key, $0.value.value) } })
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
