import Foundation

/// A clock that moves only when told to, so tests and replays run batches deterministically
/// and as fast as the machine allows.
///
/// ```swift
/// let clock = ManualClock()
/// let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
/// // … build the pipeline …
/// try context.start()
/// await clock.advance(by: .seconds(3))   // batches 1, 2 and 3 have completed
/// ```
///
/// - Note: A graceful `stop()` processes what the sources still hold, running further batches
///   back to back past the clock's time (a `ReplaySource` or `QueueSource` with records left
///   hands them all out). To end exactly at the clock's time, `stop(gracefully: false)`.
///
/// Sendable: every mutable property is read and written under `condition`.
public final class ManualClock: SchedulerClock, @unchecked Sendable {
    private let condition = NSCondition()
    private var time: Int64
    private var interrupted = false
    /// The time of the next batch the scheduler waits for; nil when no scheduler runs.
    private var schedulerNext: Int64?
    private var waiters: [(target: Int64, continuation: CheckedContinuation<Void, Never>)] = []

    /// A clock reading `start` (default: 0 ms).
    public init(start: BatchTime = BatchTime(milliseconds: 0)) {
        time = start.milliseconds
    }

    /// The current time.
    public var now: BatchTime {
        condition.lock()
        defer { condition.unlock() }
        return BatchTime(milliseconds: time)
    }

    /// Moves the clock forward and returns once every batch due by the new time has completed
    /// (or the context has stopped).
    public func advance(by duration: Duration) async {
        let target: Int64 = {
            condition.lock()
            defer { condition.unlock() }
            time += duration.wholeMilliseconds
            condition.broadcast()
            return time
        }()
        await withCheckedContinuation { continuation in
            condition.lock()
            defer { condition.unlock() }
            if let next = schedulerNext, next <= target {
                waiters.append((target, continuation))
            } else {
                continuation.resume()
            }
        }
    }

    /// Moves the clock to `time` if it is behind (used when a context restores a checkpoint).
    func moveForward(to newTime: BatchTime) {
        condition.lock()
        time = max(time, newTime.milliseconds)
        condition.unlock()
    }

    func attach(firstBatch: BatchTime) {
        condition.lock()
        interrupted = false
        schedulerNext = firstBatch.milliseconds
        condition.unlock()
    }

    func sleep(until deadline: BatchTime) {
        condition.lock()
        schedulerNext = deadline.milliseconds
        let ready = waiters.filter { $0.target < deadline.milliseconds }
        waiters.removeAll { $0.target < deadline.milliseconds }
        ready.forEach { $0.continuation.resume() }
        while !interrupted, time < deadline.milliseconds {
            condition.wait()
        }
        condition.unlock()
    }

    func interrupt() {
        condition.lock()
        interrupted = true
        condition.broadcast()
        condition.unlock()
    }

    func detach() {
        condition.lock()
        schedulerNext = nil
        let all = waiters
        waiters.removeAll()
        condition.unlock()
        all.forEach { $0.continuation.resume() }
    }
}
