extension DStream where Element: Hashable & Codable {
    /// How often each distinct record occurs in a sliding window, computed incrementally;
    /// records whose count fell to zero are dropped (Spark's `countByValueAndWindow`).
    /// - Important: Needs a checkpoint store (checked by `start()`).
    @inlinable
    public func countByValueAndWindow(length: Duration, slide: Duration? = nil, name: String? = nil) throws
        -> DStream<(Element, Int)>
    {
        try map { ($0, 1) }.invertibleWindow(
            "countByValueAndWindow", of: lineage, +, inverse: -, length: length, slide: slide, filter: { $0.1 != 0 }, name: name)
    }
}
