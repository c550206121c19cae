extension DStream {
    /// Values grouped by key over a sliding window.
    public func groupByKeyAndWindow<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>(
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<(Key, [Value])> where Element == (Key, Value) {
        try window(length: length, slide: slide, name: name, codec: ElementCodec<(Key, Value)>.pairs()).groupByKey()
    }
}
