extension DStream {
    /// A stream of `(key, transform(value))`: the keys are untouched.
    @inlinable
    public func mapValues<Key: Sendable, Value: Sendable, T: Sendable>(
        _ transform: @escaping @Sendable (Value) throws -> T
    ) -> DStream<(Key, T)> where Element == (Key, Value) {
        map { ($0.0, try transform($0.1)) }
    }

    /// A stream of `(key, element)` for each element of the sequence `transform` returns.
    @inlinable
    public func flatMapValues<Key: Sendable, Value: Sendable, S: Sequence>(
        _ transform: @escaping @Sendable (Value) throws -> S
    ) -> DStream<(Key, S.Element)> where Element == (Key, Value), S.Element: Sendable {
        let name = failureName("flatMapValues")
        return derive("flatMapValues") { stage, _ in
            stage.mapPartitions { produce in
                { emit in
                    try produce { record in
                        for value in try attributing(to: name, { try transform(record.1) }) { try emit((record.0, value)) }
                    }
                }
            }
        }
    }
}
