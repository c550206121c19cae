extension DStream {
    /// A stream of `transform` applied to each whole batch, with its time (Spark's `transform`):
    /// the escape hatch for anything the operators do not cover.
    public func transform<T: Sendable>(
        _ transform: @escaping @Sendable (Batch<Element>, BatchTime) throws -> Batch<T>
    ) -> DStream<T> {
        derive("transform") { [executor] stage, position in
            let batch = Batch(partitions: try stage.materialize(on: executor))
            return Stage(materialized: try transform(batch, position.time).partitions)
        }
    }
}
