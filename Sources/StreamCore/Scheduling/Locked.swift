import Foundation

/// A value guarded by a lock: the one primitive the engine uses to share mutable state.
///
/// The project's lock style: `Locked` in StreamCore, where shared state holds the graph's
/// nodes (not `Sendable`, so `Synchronization.Mutex`'s checked transfers refuse them);
/// `Mutex` around a `State` struct in every other module; `NSCondition` only where a thread
/// waits for something (a clock, a buffer).
final class Locked<Value> {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Sound because every access to `value` holds the lock, and only `Sendable` values may cross
/// threads through it (as swift-nio's `NIOLockedValueBox`).
extension Locked: @unchecked Sendable where Value: Sendable {}
