extension DStream {
    /// A stream with one record per batch: the number of records (0 for an empty batch).
    public func count() -> DStream<Int> {
        derive("count") { [executor] stage, _ in
            let counts = try executor.map(stage.partitions.count) { p in
                var n = 0
                try stage.partitions[p]() { _ in n += 1 }
                return n
            }
            return Stage(materialized: [[counts.reduce(0, +)]])
        }
    }
}
