extension DStream {
    /// A stream with at most one record per batch: all records combined with `combine`
    /// (nothing for an empty batch, as in Spark).
    @inlinable
    public func reduce(_ combine: @escaping @Sendable (Element, Element) throws -> Element) -> DStream<Element> {
        let name = failureName("reduce")
        return derive("reduce") { [executor] stage, _ in
            try attributing(to: name) {
                let partials = try executor.map(stage.partitions.count) { p -> Element? in
                    var result: Element?
                    try stage.partitions[p]() { record in
                        if let current = result { result = try combine(current, record) } else { result = record }
                    }
                    return result
                }
                let total = try partials.compactMap { $0 }.reduce(nil as Element?) { sum, next in
                    try sum.map { try combine($0, next) } ?? next
                }
                return Stage(materialized: [total.map { [$0] } ?? []])
            }
        }
    }
}
