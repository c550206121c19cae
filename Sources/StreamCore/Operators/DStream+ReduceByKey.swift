extension DStream {
    /// A stream of `(key, combined values)` for each key of the batch, combined first within
    /// each partition and then across partitions (`combine` must be associative).
    @inlinable
    public func reduceByKey<Key: Hashable & Sendable, Value: Sendable>(
        _ combine: @escaping @Sendable (Value, Value) throws -> Value
    ) -> DStream<(Key, Value)> where Element == (Key, Value) {
        let name = failureName("reduceByKey")
        let tables = CombineTables<Key, Value>()
        return derive("reduceByKey") { [executor] stage, _ in
            try attributing(to: name) {
                try stage.combinedByKey(
                    on: executor, tables: tables, create: { $0 }, merge: { $0 = try combine($0, $1) },
                    mergeCombiners: { $0 = try combine($0, $1) })
            }
        }
    }
}
