import Foundation

/// The clock the scheduler waits on: the system clock in production, a `ManualClock` in tests
/// and replays.
protocol SchedulerClock: AnyObject, Sendable {
    var now: BatchTime { get }
    /// Called by `start()` before the scheduler thread runs, with the first batch's time.
    func attach(firstBatch: BatchTime)
    /// Blocks the scheduler until `deadline` is reached or `interrupt()` is called.
    func sleep(until deadline: BatchTime)
    /// Wakes a sleeping scheduler (a stop was requested).
    func interrupt()
    /// The scheduler has ended; nobody will run batches any more.
    func detach()
}

/// Wall-clock time, in milliseconds since the Unix epoch.
///
/// Sendable: `interrupted` is read and written under `condition`.
final class SystemClock: SchedulerClock, @unchecked Sendable {
    private let condition = NSCondition()
    private var interrupted = false

    var now: BatchTime {
        BatchTime(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    func attach(firstBatch: BatchTime) {}

    func sleep(until deadline: BatchTime) {
        condition.lock()
        defer { condition.unlock() }
        while !interrupted, now < deadline {
            let date = Date(timeIntervalSince1970: Double(deadline.milliseconds) / 1000)
            _ = condition.wait(until: date)
        }
    }

    func interrupt() {
        condition.lock()
        interrupted = true
        condition.broadcast()
        condition.unlock()
    }

    func detach() {}
}
