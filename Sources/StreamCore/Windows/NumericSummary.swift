/// How many numbers, and their exact sum: what a mean over batches and windows needs.
/// Summaries merge without rounding error (the sum is kept as Shewchuk's partials, as Python's
/// `math.fsum` does), so a window's mean is the same whatever the partitions and batches.
public struct NumericSummary: Sendable, Codable, Hashable {
    /// How many numbers.
    public private(set) var count: Int
    private var partials: [Double]

    /// The summary of `values`.
    public init(_ values: some Sequence<Double>) {
        let values = Array(values)
        count = values.count
        partials = ExactSum.partials(of: values)
    }

    /// The sum, rounded once.
    public var sum: Double { ExactSum.rounded(partials) }

    /// The mean (`fsum(values) / n`), 0 for no numbers.
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The summary of both sets of numbers together.
    @Sendable public static func merged(_ a: NumericSummary, _ b: NumericSummary) -> NumericSummary {
        var merged = a
        merged.count += b.count
        merged.partials = ExactSum.partials(of: a.partials + b.partials)
        return merged
    }
}

extension DStream where Element == Double {
    /// One `NumericSummary` (count, exact sum, mean) per window, an empty one for an empty
    /// window. The window keeps one summary per batch, not the numbers.
    /// - Throws: `StreamingError.invalidWindow` if `length` or `slide` is not a multiple of the batch interval.
    public func summaryByWindow(length: Duration, slide: Duration? = nil, name: String? = nil) throws -> DStream<NumericSummary> {
        try transform { [NumericSummary($0.records)] }
            .reduceByWindow(NumericSummary.merged, length: length, slide: slide, name: name)
    }
}

extension DStream {
    /// The largest record of each window by `areInIncreasingOrder` (an arg-max), none for an
    /// empty window; among equals, the first in window order. The window keeps one record per
    /// batch: each partition's largest, found in parallel, then the batch's.
    /// - Throws: `StreamingError.invalidWindow` if `length` or `slide` is not a multiple of the batch interval.
    @inlinable
    public func maxByWindow(
        length: Duration, slide: Duration? = nil, name: String? = nil,
        by areInIncreasingOrder: @escaping @Sendable (Element, Element) -> Bool
    ) throws -> DStream<Element> {
        try reduceByWindow({ areInIncreasingOrder($0, $1) ? $1 : $0 }, length: length, slide: slide, name: name)
    }
}
