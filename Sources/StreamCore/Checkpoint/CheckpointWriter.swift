import Dispatch
import Locking

/// Writes checkpoints off the scheduler thread, one at a time and in order.
///
/// The scheduler hands over a snapshot (copy-on-write copies of the state, taken after the
/// batch) and goes on with the next batch while this writer encodes, flushes and renames. At
/// most one write is in flight; a failed write fails the next batch, and stopping waits for
/// the last write, so a checkpoint is never lost silently.
final class CheckpointWriter: Sendable {
    private let queue = DispatchQueue(label: "StreamCore.checkpoint-writer")
    private let inFlight = DispatchGroup()
    private let failure = Locked<(any Error)?>(nil)

    /// Queues `write` after waiting for the previous one. Throws the previous write's error.
    func submit(_ write: @escaping @Sendable () throws -> Void) throws {
        inFlight.wait()
        try rethrowFailure()
        inFlight.enter()
        queue.async { [self] in
            do { try write() } catch { failure.withLock { $0 = $0 ?? error } }
            inFlight.leave()
        }
    }

    /// Waits for the write in flight; throws its error, if it failed.
    func drain() throws {
        inFlight.wait()
        try rethrowFailure()
    }

    private func rethrowFailure() throws {
        if let error = failure.withLock({ state -> (any Error)? in
            defer { state = nil }
            return state
        }) {
            throw error
        }
    }
}
