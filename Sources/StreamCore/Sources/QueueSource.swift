import Locking

/// A source you hand batches to (Spark's `queueStream` with `oneAtATime`): each batch takes
/// the next queued array; when the queue is empty the batch is empty.
///
/// ```swift
/// let queue = QueueSource<String>()
/// let lines = context.stream(from: queue)
/// queue.enqueue(["a b", "b"])          // batch 1
/// ```
public final class QueueSource<Element: Sendable>: StreamSource, Sendable {
    private let queue: Locked<[[Element]]>

    /// A source with `batches` already queued.
    public init(_ batches: [[Element]] = []) {
        queue = Locked(batches)
    }

    /// Queues the records of one future batch.
    public func enqueue(_ records: [Element]) {
        queue.withLock { $0.append(records) }
    }

    public func records(for time: BatchTime) throws -> [Element] {
        queue.withLock { $0.isEmpty ? [] : $0.removeFirst() }
    }

    public var hasPendingRecords: Bool { queue.withLock { !$0.isEmpty } }
    public var waitingRecords: Int { queue.withLock { $0.reduce(0) { $0 + $1.count } } }
}
