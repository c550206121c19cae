extension DStream {
    /// A stream of `(key, combiner)` per key of the batch, the general form of `reduceByKey`
    /// and `groupByKey` (Spark's `combineByKey`).
    /// - Parameters:
    ///   - createCombiner: makes a combiner from a key's first value in a partition.
    ///   - mergeValue: adds another value to a combiner.
    ///   - mergeCombiners: merges two partitions' combiners for the same key.
    @inlinable
    public func combineByKey<Key: Hashable & Sendable, Value: Sendable, Combiner: Sendable>(
        createCombiner: @escaping @Sendable (Value) throws -> Combiner,
        mergeValue: @escaping @Sendable (Combiner, Value) throws -> Combiner,
        mergeCombiners: @escaping @Sendable (Combiner, Combiner) throws -> Combiner
    ) -> DStream<(Key, Combiner)> where Element == (Key, Value) {
        let tables = CombineTables<Key, Combiner>()
        return derive("combineByKey") { [executor] stage, _ in
            try stage.combinedByKey(
                on: executor, tables: tables, create: createCombiner,
                merge: { $0 = try mergeValue($0, $1) }, mergeCombiners: { $0 = try mergeCombiners($0, $1) })
        }
    }
}
