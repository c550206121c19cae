extension DStream {
    /// A stream of the records for which `isIncluded` is true.
    @inlinable
    public func filter(_ isIncluded: @escaping @Sendable (Element) throws -> Bool) -> DStream<Element> {
        let name = failureName("filter")
        return derive("filter") { stage, _ in
            stage.mapPartitions { produce in
                { emit in try produce { record in if try attributing(to: name, { try isIncluded(record) }) { try emit(record) } }
                }
            }
        }
    }
}
