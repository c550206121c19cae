extension DStream {
    /// A stream of `transform` applied to every record.
    @inlinable
    public func map<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T) -> DStream<T> {
        let name = failureName("map")
        return derive("map") { stage, _ in
            stage.mapPartitions { produce in
                { emit in try produce { record in try emit(try attributing(to: name) { try transform(record) }) } }
            }
        }
    }
}
