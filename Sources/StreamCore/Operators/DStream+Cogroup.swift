extension DStream {
    /// A stream of `(key, (values here, values in other))` for every key in either batch.
    /// - Throws: `StreamingError.incompatibleSlides` if the streams slide differently.
    public func cogroup<Key: Hashable & Sendable, Value: Sendable, Other: Sendable>(
        _ other: DStream<(Key, Other)>
    ) throws -> DStream<(Key, ([Value], [Other]))> where Element == (Key, Value) {
        try combine(with: other, operator: "cogroup") { [executor] left, right, _ in
            let leftGroups: [[Key: [Value]]] = try left.groupByKey(on: executor)
            let rightGroups: [[Key: [Other]]] = try right.groupByKey(on: executor)
            let merged = try executor.map(leftGroups.count) { j -> [Key: ([Value], [Other])] in
                var both: [Key: ([Value], [Other])] = [:]
                for (key, values) in leftGroups[j] { both[key] = (values, rightGroups[j][key] ?? []) }
                for (key, values) in rightGroups[j] where both[key] == nil { both[key] = ([], values) }
                return both
            }
            return Stage(dictionaries: merged)
        }
    }
}
