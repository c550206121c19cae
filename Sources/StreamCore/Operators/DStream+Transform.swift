extension DStream {
    /// A stream of `transform` applied to each whole batch, with its time (Spark's `transform`):
    /// the escape hatch for anything the operators do not cover. `Batch` has Spark's RDD
    /// operations (`sorted`, `prefix`, `take`, `map`, `filter`, `reduce`, …).
    public func transform<T: Sendable>(
        _ transform: @escaping @Sendable (Batch<Element>, BatchTime) throws -> Batch<T>
    ) -> DStream<T> {
        let name = failureName("transform")
        return derive("transform") { [executor] stage, position in
            let batch = Batch(partitions: try stage.materialize(on: executor))
            return Stage(materialized: try attributing(to: name) { try transform(batch, position.time) }.partitions)
        }
    }

    /// A stream of `transform` applied to each whole batch.
    public func transform<T: Sendable>(_ transform: @escaping @Sendable (Batch<Element>) throws -> Batch<T>) -> DStream<T> {
        self.transform { batch, _ in try transform(batch) }
    }

    /// A stream whose batch is the records `transform` returns for each whole batch, e.g.
    /// `transform { $0.records.sorted(by: …).prefix(5) }`.
    public func transform<Records: Sequence & SendableMetatype>(
        _ transform: @escaping @Sendable (Batch<Element>, BatchTime) throws -> Records
    ) -> DStream<Records.Element> where Records.Element: Sendable {
        self.transform { batch, time in Batch(Array(try transform(batch, time))) }
    }

    /// A stream whose batch is the records `transform` returns for each whole batch.
    public func transform<Records: Sequence & SendableMetatype>(
        _ transform: @escaping @Sendable (Batch<Element>) throws -> Records
    ) -> DStream<Records.Element> where Records.Element: Sendable {
        self.transform { batch, _ in Batch(Array(try transform(batch))) }
    }

    /// A stream of `transform` applied to the batches of this stream and `other` at the same
    /// time (Spark's `transformWith`).
    /// - Throws: `StreamingError.incompatibleSlides` if the streams slide differently.
    public func transformWith<Other: Sendable, T: Sendable>(
        _ other: DStream<Other>,
        _ transform: @escaping @Sendable (Batch<Element>, Batch<Other>, BatchTime) throws -> Batch<T>
    ) throws -> DStream<T> {
        try combine(with: other, operator: "transformWith") { [executor] left, right, position in
            let result = try transform(
                Batch(partitions: try left.materialize(on: executor)),
                Batch(partitions: try right.materialize(on: executor)),
                position.time)
            return Stage(materialized: result.partitions)
        }
    }
}
