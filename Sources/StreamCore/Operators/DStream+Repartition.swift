extension DStream {
    /// The same records spread evenly over `partitions` partitions (round-robin), e.g. after
    /// a source that delivers one large partition.
    public func repartition(_ partitions: Int) -> DStream<Element> {
        let count = max(1, partitions)
        return derive("repartition") { [executor] stage, _ in
            var spread = [[Element]](repeating: [], count: count)
            var next = 0
            for records in try stage.materialize(on: executor) {
                for record in records {
                    spread[next].append(record)
                    next = (next + 1) % count
                }
            }
            return Stage(materialized: spread)
        }
    }
}
