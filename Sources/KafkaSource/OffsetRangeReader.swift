import Foundation

/// Reads exact offset ranges with one long-lived consumer.
///
/// The assignment is kept across batches; records fetched past a batch's range wait in
/// memory for the next batch. When a batch asks for offsets the consumer is not at (a
/// restore, a new partition), the consumer is re-assigned at the exact offsets.
final class OffsetRangeReader {
    private let client: RDKafkaClient
    /// Records fetched beyond the range of the batch that fetched them, per partition.
    private var early: [TopicPartition: [KafkaRecord]] = [:]
    /// The offset after the last record the consumer returned, per assigned partition.
    private var consumerNext: [TopicPartition: Int64] = [:]

    init(client: RDKafkaClient) {
        self.client = client
    }

    /// The records of `ranges`, ordered by partition and offset.
    /// - Parameters:
    ///   - timeout: how long to keep trying (retriable errors are retried meanwhile).
    ///   - warn: told about each problem recovered from.
    /// - Throws: `KafkaError` on a non-retriable error, or when the ranges cannot be read in time.
    func read(_ ranges: [OffsetRange], timeout: Duration, warn: (String) -> Void) throws -> [KafkaRecord] {
        guard !ranges.isEmpty else { return [] }
        let continues = ranges.allSatisfy { (early[$0.topicPartition]?.first?.offset ?? consumerNext[$0.topicPartition]) == $0.from }
        if !continues {
            let assignment = Dictionary(uniqueKeysWithValues: ranges.map { ($0.topicPartition, $0.from) })
            try client.assign(assignment)
            early = [:]
            consumerNext = assignment
        }
        var records: [TopicPartition: [KafkaRecord]] = [:]
        var pending: [TopicPartition: OffsetRange] = [:]
        for range in ranges {
            let waiting = early[range.topicPartition] ?? []
            let split = waiting.firstIndex { $0.offset >= range.until } ?? waiting.count
            records[range.topicPartition] = Array(waiting[..<split])
            early[range.topicPartition] = Array(waiting[split...])
            if split == waiting.count, (waiting.last?.offset ?? range.from - 1) + 1 < range.until {
                pending[range.topicPartition] = range
            }
        }
        let deadline = ContinuousClock.now + timeout
        var lastProblem: KafkaError?
        var emptyPolls = 0
        while !pending.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(
                    operation: "reading " + pending.values.map(\.description).sorted().joined(separator: ", "),
                    message: "not all records arrived within \(timeout)" + (lastProblem.map { "; last problem: \($0.message)" } ?? ""),
                    isRetriable: true)
            }
            switch client.poll(timeout: .milliseconds(100)) {
            case nil:
                emptyPolls += 1
                // Offsets with no record (transaction markers, compaction) never arrive:
                // the consumer's position says when a range is complete anyway.
                if emptyPolls % 5 == 0 {
                    for (partition, position) in client.positions(Array(pending.keys)) where position >= pending[partition]!.until {
                        pending[partition] = nil
                    }
                }
            case .failure(let error):
                if error.code == "_PARTITION_EOF" { continue }
                guard error.isRetriable else {
                    if error.code == "_AUTO_OFFSET_RESET" || error.code == "OFFSET_OUT_OF_RANGE" {
                        throw KafkaError(
                            operation: error.operation,
                            message: "the offsets to read are no longer on the broker (deleted by retention, or the topic was recreated)",
                            code: error.code)
                    }
                    throw error
                }
                if lastProblem?.message != error.message { warn(error.description) }
                lastProblem = error
            case .success(let record):
                let partition = TopicPartition(topic: record.topic, partition: record.partition)
                consumerNext[partition] = record.offset + 1
                guard let range = pending[partition], record.offset < range.until else {
                    early[partition, default: []].append(record)
                    continue
                }
                if record.offset >= range.from { records[partition, default: []].append(record) }
                if record.offset + 1 >= range.until { pending[partition] = nil }
            }
        }
        return records.keys.sorted().flatMap { records[$0]! }
    }
}

extension KafkaError {
    fileprivate init(operation: String, message: String, code: String?) {
        self.init(operation: operation, code: code, message: message)
    }
}
