extension DStream {
    /// Inner join of two key/value streams, batch by batch: `(key, (value, other))` for every
    /// pair of values with the same key.
    public func join<Key: Hashable & Sendable, Value: Sendable, Other: Sendable>(
        _ other: DStream<(Key, Other)>
    ) throws -> DStream<(Key, (Value, Other))> where Element == (Key, Value) {
        try cogroup(other).flatMap { key, groups in
            groups.0.flatMap { value in groups.1.map { (key, (value, $0)) } }
        }
    }

    /// Left outer join: every value of this stream, with `nil` when `other` has no value for its key.
    public func leftOuterJoin<Key: Hashable & Sendable, Value: Sendable, Other: Sendable>(
        _ other: DStream<(Key, Other)>
    ) throws -> DStream<(Key, (Value, Other?))> where Element == (Key, Value) {
        try cogroup(other).flatMap { key, groups in
            groups.0.flatMap { value in
                groups.1.isEmpty ? [(key, (value, nil))] : groups.1.map { (key, (value, Optional($0))) }
            }
        }
    }

    /// Right outer join: every value of `other`, with `nil` when this stream has no value for its key.
    public func rightOuterJoin<Key: Hashable & Sendable, Value: Sendable, Other: Sendable>(
        _ other: DStream<(Key, Other)>
    ) throws -> DStream<(Key, (Value?, Other))> where Element == (Key, Value) {
        try cogroup(other).flatMap { key, groups in
            groups.1.flatMap { otherValue in
                groups.0.isEmpty ? [(key, (nil, otherValue))] : groups.0.map { (key, (Optional($0), otherValue)) }
            }
        }
    }

    /// Full outer join: every value of either stream, with `nil` on the side that has none.
    public func fullOuterJoin<Key: Hashable & Sendable, Value: Sendable, Other: Sendable>(
        _ other: DStream<(Key, Other)>
    ) throws -> DStream<(Key, (Value?, Other?))> where Element == (Key, Value) {
        try cogroup(other).flatMap { key, groups -> [(Key, (Value?, Other?))] in
            if groups.0.isEmpty { return groups.1.map { (key, (nil, $0)) } }
            if groups.1.isEmpty { return groups.0.map { (key, ($0, nil)) } }
            return groups.0.flatMap { value in groups.1.map { (key, (Optional(value), Optional($0))) } }
        }
    }
}
