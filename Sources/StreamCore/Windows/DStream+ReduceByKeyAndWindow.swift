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

    /// Values reduced by key over a sliding window, for keys or values that are not `Codable`:
    /// such a window cannot be checkpointed (`start()` says so when a checkpoint store is set).
    public func reduceByKeyAndWindow<Key: Hashable & Sendable, Value: Sendable>(
        _ reduce: @escaping @Sendable (Value, Value) throws -> Value,
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<(Key, Value)> where Element == (Key, Value) {
        try reduceByKey(reduce).window(length: length, slide: slide, name: name, codec: nil).reduceByKey(reduce)
    }

    /// Values reduced by key over a sliding window, computed incrementally: the previous
    /// window's values, plus the entering batches, minus the leaving ones (`inverse`).
    ///
    /// - Parameters:
    ///   - reduce: combines two values (associative and commutative).
    ///   - inverse: undoes `reduce`: `inverse(reduce(a, b), b) == a`.
    ///   - length: the window's length, a multiple of the batch interval.
    ///   - slide: how often the window moves (default: every batch).
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
        try invertibleWindow(
            "reduceByKeyAndWindow", of: lineage, reduce, inverse: inverse, length: length, slide: slide, filter: filter,
            name: name)
    }

    /// The incremental window behind `reduceByKeyAndWindow`, `reduceByWindow`, `countByWindow`
    /// and `countByValueAndWindow`, named in errors and lineage as the operator the user
    /// called on the stream of lineage `base`.
    @usableFromInline
    func invertibleWindow<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>(
        _ operatorName: String, of base: String,
        _ reduce: @escaping @Sendable (Value, Value) throws -> Value,
        inverse: @escaping @Sendable (Value, Value) throws -> Value,
        length: Duration, slide: Duration?,
        filter: (@Sendable ((Key, Value)) throws -> Bool)?,
        name: String?
    ) throws -> DStream<(Key, Value)> where Element == (Key, Value) {
        let spec = try WindowSpec(stream: self, operator: operatorName, length: length, slide: slide)
        guard spec.slide <= spec.length else {
            throw StreamingError.invalidWindow(
                operator: operatorName, reason: "with an inverse function the slide must not exceed the window length")
        }
        let reduced = reduceByKey(reduce)
        let failureName = "\(operatorName) '\(base)/\(operatorName)'"
        let state = InvertibleWindowState<Key, Value>(partitionCount: executor.parallelism)
        let tables = CombineTables<Key, Value>()
        let title = "\(operatorName)(\(spec.length),\(spec.slide))"
        let stateName = name ?? base + "/" + title
        context.register(participant: state, named: stateName)
        context.requireCheckpoint(by: "\(operatorName) '\(stateName)'")
        return DStream<(Key, Value)>(context: context, lineage: base + "/" + title, parents: [reduced], slide: spec.slide) {
            [unowned reduced, executor] position in
            if let stage = reduced.current {
                let partitioned = try stage.combineByKey(
                    on: executor, tables: tables, create: { $0 }, merge: { $0 = try reduce($0, $1) },
                    mergeCombiners: { $0 = try reduce($0, $1) })
                state.record(index: position.index, reduced: partitioned)
            }
            guard position.index % spec.slide == 0 else { return nil }
            try attributing(to: failureName) {
                try state.slide(
                    to: position.index, length: spec.length, slide: spec.slide, on: executor,
                    reduce: reduce, inverse: inverse, filter: filter)
            }
            return Stage(dictionaries: state.window)
        }
    }
}
