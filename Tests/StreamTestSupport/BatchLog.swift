import Foundation
import StreamCore

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

/// Runs `source` through one batch on a manual clock, once `ready` returns (e.g. when the
/// source has buffered the records a test sent), and returns that batch's records.
public func firstBatch<Source: StreamSource>(of source: Source, when ready: () async -> Void) async throws -> [Source.Element] {
    let clock = ManualClock()
    let context = StreamingContext(batchInterval: .seconds(1), clock: clock)
    let log = BatchLog<Source.Element>()
    try context.stream(from: source).foreachBatch { batch, _ in log.append(batch.records) }
    try context.start()
    await ready()
    await clock.advance(by: .seconds(1))
    await context.stop(gracefully: false)
    return log.batches.first ?? []
}
