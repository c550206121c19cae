extension DStream {
    /// A stream of the elements of the sequences `transform` returns for each record,
    /// e.g. `lines.flatMap(Word.split)`.
    @inlinable
    public func flatMap<S: Sequence>(_ transform: @escaping @Sendable (Element) throws -> S) -> DStream<S.Element>
    where S.Element: Sendable {
        let name = failureName("flatMap")
        return derive("flatMap") { stage, _ in
            stage.mapPartitions { produce in
                { emit in
                    try produce { record in
                        for element in try attributing(to: name, { try transform(record) }) { try emit(element) }
                    }
                }
            }
        }
    }
}
