extension DStream {
    /// A stream of the records for which `isIncluded` is true.
    @inlinable
    public func filter(_ isIncluded: @escaping @Sendable (Element) throws -> Bool) -> DStream<Element> {
        let isIncluded = attributed(isIncluded, to: failureName("filter"))
        return derive("filter") { stage, _ in
            stage.mapPartitions { produce in { emit in try produce { if try isIncluded($0) { try emit($0) } } } }
        }
    }
}
