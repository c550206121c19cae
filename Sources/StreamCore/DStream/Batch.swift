/// The records of one batch, as handed to `foreachBatch` and `transform`: a partitioned
/// collection (think of an RDD on one machine).
public struct Batch<Element: Sendable>: Sendable {
    /// The batch's records, partition by partition.
    public let partitions: [[Element]]

    /// A batch with one partition holding `records`.
    public init(_ records: [Element]) {
        partitions = [records]
    }

    /// A batch with the given partitions.
    public init(partitions: [[Element]]) {
        self.partitions = partitions
    }

    /// All records, partition after partition.
    public var records: [Element] { partitions.count == 1 ? partitions[0] : partitions.flatMap { $0 } }

    /// The number of records.
    public var count: Int { partitions.reduce(0) { $0 + $1.count } }

    /// Whether the batch has no records (an empty batch still reaches every output).
    public var isEmpty: Bool { partitions.allSatisfy(\.isEmpty) }
}
