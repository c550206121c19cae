extension DStream {
    /// The same records, computed once per batch however many streams and outputs use them
    /// (Spark's `cache()`): without it, a transformation runs again for every consumer.
    /// Worth it after costly steps (parsing, classifying) that several outputs share.
    public func cache() -> DStream<Element> {
        derive("cache") { [executor] stage, _ in
            Stage(materialized: try stage.materialize(on: executor))
        }
    }
}
