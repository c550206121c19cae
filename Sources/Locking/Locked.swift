import Foundation

/// A value guarded by a lock: the one primitive this package's modules use to share mutable
/// state.
///
/// The lock is a `pthread` mutex (`NSLock`), which the Thread Sanitizer understands; the
/// standard library's `Synchronization.Mutex` waits on a futex inside the runtime on Linux,
/// where the sanitizer cannot see it and reports every access it guards as a race. Threads
/// that wait for something (a clock, a buffer) use `NSCondition`.
///
/// ```swift
/// final class Counter: Sendable {
///     private let count = Locked(0)
///     func add(_ n: Int) { count.withLock { $0 += n } }
/// }
/// ```
public final class Locked<Value> {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, the lock held.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Sound because every access to `value` holds the lock, and only `Sendable` values may cross
/// threads through it (as swift-nio's `NIOLockedValueBox`).
extension Locked: @unchecked Sendable where Value: Sendable {}
