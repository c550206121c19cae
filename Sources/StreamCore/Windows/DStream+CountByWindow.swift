extension DStream {
    /// The number of records in a sliding window: one record per window, `0` for an empty
    /// window once the stream has had records (Spark's JVM behaviour).
    /// - Important: Needs a checkpoint store (checked by `start()`).
    public func countByWindow(length: Duration, slide: Duration? = nil, name: String? = nil) throws -> DStream<Int> {
        try map { _ in (1, 1) }
            .invertibleWindow("countByWindow", of: lineage, +, inverse: -, length: length, slide: slide, filter: nil, name: name)
            .map { $0.1 }
    }
}
