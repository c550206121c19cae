import Foundation
import StreamCore

/// Keeps every batch event it is told about.
public final class RecordingListener: StreamingListener, @unchecked Sendable {
    private let lock = NSLock()
    private var infos: [BatchInfo] = []

    public init() {}

    public func batchCompleted(_ batch: BatchInfo) {
        lock.lock()
        infos.append(batch)
        lock.unlock()
    }

    public var completed: [BatchInfo] {
        lock.lock()
        defer { lock.unlock() }
        return infos
    }
}

/// A signal that fires after `count` ticks: `Countdown(1)` is a one-shot signal.
public final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    public init(_ count: Int) {
        remaining = count
    }

    public func tick() {
        lock.lock()
        remaining -= 1
        let ready = remaining <= 0 ? waiters : []
        if remaining <= 0 { waiters = [] }
        lock.unlock()
        ready.forEach { $0.resume() }
    }

    public func wait() async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if remaining <= 0 {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }
}
