extension DStream {
    /// Values reduced by key over a sliding window, recomputed from the window's batches.
    /// Each window holds only the keys present in it.
    public func reduceByKeyAndWindow<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>(
        _ reduce: @escaping @Sendable (Value, Value) throws -> Value,
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<(Key, Value)> where Element == (Key, Value) {
        try reduceByKey(reduce)
            .window(length: length, slide: slide, name: name, codec: ElementCodec<(Key, Value)>.pairs())
            .reduceByKey(reduce)
    }

    /// Values reduced by key over a sliding window, computed incrementally: the previous
    /// window's values, plus the entering batches, minus the leaving ones (`inverse`).
    ///
    /// - Parameters:
    ///   - reduce: combines two values (associative and commutative).
    ///   - inverse: undoes `reduce`: `inverse(reduce(a, b), b) == a`.
    ///   - filter: keys whose value fails it are removed from the window; without it, keys
    ///     whose value reached the zero value stay (with that value), as in Spark.
    ///   - name: the window state's name in checkpoints; default: its lineage.
    /// - Important: Needs a checkpoint store (checked by `start()`); slide ≤ length.
    public func reduceByKeyAndWindow<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>(
        _ reduce: @escaping @Sendable (Value, Value) throws -> Value,
        inverse: @escaping @Sendable (Value, Value) throws -> Value,
        length: Duration, slide: Duration? = nil,
        filter: (@Sendable ((Key, Value)) throws -> Bool)? = nil,
        name: String? = nil
    ) throws -> DStream<(Key, Value)> where Element == (Key, Value) {
        let spec = try WindowSpec(stream: self, operator: "reduceByKeyAndWindow", length: length, slide: slide)
        guard spec.slide <= spec.length else {
            throw StreamingError.invalidWindow(
                operator: "reduceByKeyAndWindow", reason: "with an inverse function the slide must not exceed the window length")
        }
        let reduced = reduceByKey(reduce)
        let state = InvertibleWindowState<Key, Value>(partitionCount: executor.parallelism)
        let title = "reduceByKeyAndWindow(\(spec.length),\(spec.slide))"
        let stateName = name ?? lineage + "/" + title
        context.register(participant: state, named: stateName)
        context.requireCheckpoint(by: "reduceByKeyAndWindow '\(stateName)'")
        return DStream<(Key, Value)>(context: context, lineage: lineage + "/" + title, parents: [reduced], slide: spec.slide) {
            [unowned reduced, executor] position in
            if let stage = reduced.current {
                let partitioned = try stage.combineByKey(
                    on: executor, create: { $0 }, merge: { $0 = try reduce($0, $1) }, mergeCombiners: { $0 = try reduce($0, $1) })
                state.record(index: position.index, reduced: partitioned)
            }
            guard position.index % spec.slide == 0 else { return nil }
            try state.slide(
                to: position.index, length: spec.length, slide: spec.slide, on: executor,
                reduce: reduce, inverse: inverse, filter: filter)
            return Stage(dictionaries: state.window)
        }
    }
}
