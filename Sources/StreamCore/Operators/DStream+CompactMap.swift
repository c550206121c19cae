extension DStream {
    /// A stream of the non-nil results of `transform`.
    @inlinable
    public func compactMap<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T?) -> DStream<T> {
        let name = failureName("compactMap")
        return derive("compactMap") { stage, _ in
            stage.mapPartitions { produce in
                { emit in
                    try produce { record in
                        if let value = try attributing(to: name, { try transform(record) }) { try emit(value) }
                    }
                }
            }
        }
    }
}
