import Locking

/// A receiver source over any `AsyncSequence`: a task reads the sequence into a bounded
/// buffer, and each batch takes what arrived since the last one.
///
/// An error thrown by the sequence fails the next batch (it is never swallowed).
public final class AsyncSequenceSource<Element: Sendable>: StreamSource, Sendable {
    private let buffer: ReceiverBuffer<Element>
    private let run: @Sendable (ReceiverBuffer<Element>) async throws -> Void
    private let status = Locked(Status())

    private struct Status {
        var task: Task<Void, Never>?
        var error: (any Error)?
        var finished = false
        var completionWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// - Parameters:
    ///   - sequence: the records, in order.
    ///   - bufferCapacity: records held between batches before the reader waits.
    ///   - maxRecordsPerBatch: the most records one batch takes (nil: all that arrived).
    public init<Sequence: AsyncSequence & Sendable>(
        _ sequence: Sequence, bufferCapacity: Int = 100_000, maxRecordsPerBatch: Int? = nil
    ) where Sequence.Element == Element {
        buffer = ReceiverBuffer(capacity: bufferCapacity, maxRecordsPerBatch: maxRecordsPerBatch)
        run = { buffer in
            for try await element in sequence {
                guard await buffer.pushSuspending(element) else { return }
            }
        }
    }

    public func start() throws {
        let task = Task { [buffer, run] in
            var failure: (any Error)?
            do { try await run(buffer) } catch { failure = error }
            let waiters = status.withLock { status in
                status.error = failure
                status.finished = true
                defer { status.completionWaiters.removeAll() }
                return status.completionWaiters
            }
            waiters.forEach { $0.resume() }
        }
        status.withLock { $0.task = task }
    }

    public func stop() {
        buffer.close()
        status.withLock { $0.task }?.cancel()
    }

    public func records(for time: BatchTime) throws -> [Element] {
        if let error = status.withLock({ $0.error }), buffer.count == 0 { throw error }
        return buffer.take()
    }

    public var waitingRecords: Int { buffer.count }

    /// Returns once at least `count` records wait for the next batch (or the source stopped):
    /// an explicit signal for tests and replays, instead of sleeping.
    public func waitForRecords(_ count: Int) async {
        await buffer.waitForRecords(count)
    }

    /// Returns once the sequence has ended and all its records are buffered or taken.
    public func awaitCompletion() async {
        await withCheckedContinuation { continuation in
            let done = status.withLock { status in
                if !status.finished { status.completionWaiters.append(continuation) }
                return status.finished
            }
            if done { continuation.resume() }
        }
    }
}
