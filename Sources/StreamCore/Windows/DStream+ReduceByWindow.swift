extension DStream {
    /// All records of a sliding window combined with `reduce`: at most one record per window.
    @inlinable
    public func reduceByWindow(
        _ reduce: @escaping @Sendable (Element, Element) throws -> Element,
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<Element> {
        try self.reduce(reduce).window(length: length, slide: slide, name: name).reduce(reduce)
    }
}

extension DStream where Element: Codable {
    /// All records of a sliding window combined incrementally with `reduce` and `inverse`:
    /// one record per window once the stream has had records.
    /// - Important: Needs a checkpoint store (checked by `start()`).
    public func reduceByWindow(
        _ reduce: @escaping @Sendable (Element, Element) throws -> Element,
        inverse: @escaping @Sendable (Element, Element) throws -> Element,
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<Element> {
        try map { (1, $0) }
            .invertibleWindow(
                "reduceByWindow", of: lineage, reduce, inverse: inverse, length: length, slide: slide, filter: nil, name: name
            )
            .map { $0.1 }
    }
}
