extension DStream {
    /// A stream of the non-nil results of `transform`.
    @inlinable
    public func compactMap<T: Sendable>(_ transform: @escaping @Sendable (Element) throws -> T?) -> DStream<T> {
        let transform = attributed(transform, to: failureName("compactMap"))
        return derive("compactMap") { stage, _ in
            stage.mapPartitions { produce in { emit in try produce { if let value = try transform($0) { try emit(value) } } } }
        }
    }
}
