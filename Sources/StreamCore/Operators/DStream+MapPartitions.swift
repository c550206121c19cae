extension DStream {
    /// A stream of `transform` applied to each partition's records as a whole, for work with
    /// a per-partition setup cost (a connection, a parser).
    public func mapPartitions<T: Sendable>(_ transform: @escaping @Sendable ([Element]) throws -> [T]) -> DStream<T> {
        derive("mapPartitions") { stage, _ in
            stage.mapPartitions { produce in
                { emit in
                    var records: [Element] = []
                    try produce { records.append($0) }
                    for output in try transform(records) { try emit(output) }
                }
            }
        }
    }
}
