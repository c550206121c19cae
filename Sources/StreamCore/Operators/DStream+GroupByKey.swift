extension DStream {
    /// A stream of `(key, values)` for each key of the batch.
    @inlinable
    public func groupByKey<Key: Hashable & Sendable, Value: Sendable>() -> DStream<(Key, [Value])>
    where Element == (Key, Value) {
        derive("groupByKey") { [executor] stage, _ in
            Stage(dictionaries: try stage.groupByKey(on: executor))
        }
    }
}
