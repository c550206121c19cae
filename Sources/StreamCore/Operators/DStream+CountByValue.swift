extension DStream where Element: Hashable {
    /// A stream of `(value, occurrences)` for each distinct record of the batch.
    @inlinable
    public func countByValue() -> DStream<(Element, Int)> {
        map { ($0, 1) }.reduceByKey(+)
    }
}
