import Foundation

/// Collects what an output operation saw. Written on the scheduler thread, read after stop.
public final class BatchLog<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [[T]] = []

    public init() {}

    public func append(_ records: [T]) {
        lock.lock()
        stored.append(records)
        lock.unlock()
    }

    public var batches: [[T]] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A fresh, empty directory under the system's temporary directory.
public func temporaryDirectory() -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("streamcore-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}
