extension DStream {
    /// Values grouped by key over a sliding window (checkpointed when key and value are `Codable`).
    public func groupByKeyAndWindow<Key: Hashable & Codable & Sendable, Value: Codable & Sendable>(
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<(Key, [Value])> where Element == (Key, Value) {
        try window(length: length, slide: slide, name: name, codec: ElementCodec<(Key, Value)>.pairs()).groupByKey()
    }

    /// Values grouped by key over a sliding window, for keys or values that are not `Codable`:
    /// such a window cannot be checkpointed (`start()` says so when a checkpoint store is set).
    public func groupByKeyAndWindow<Key: Hashable & Sendable, Value: Sendable>(
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<(Key, [Value])> where Element == (Key, Value) {
        try window(length: length, slide: slide, name: name, codec: nil).groupByKey()
    }
}
