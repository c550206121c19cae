import Foundation
import StreamCore
import StreamTestSupport
import TwitterEmulator
import TwitterSource

/// An emulator serving `posts` generated posts as fast as possible, already started.
func startEmulator(posts: Int? = nil, _ configure: (inout EmulatorOptions) -> Void = { _ in }) throws -> TwitterAPIEmulator {
    var options = EmulatorOptions()
    options.rate = 0
    options.maxPosts = posts
    configure(&options)
    let emulator = try TwitterAPIEmulator(options)
    emulator.start()
    return emulator
}

/// A client configuration for `emulator`, with backoff delays a thousand times shorter.
func clientConfiguration(
    _ emulator: TwitterAPIEmulator, endpoint: TwitterStreamConfiguration.Endpoint = .sample, token: String = "emulator-token"
) -> TwitterStreamConfiguration {
    var configuration = TwitterStreamConfiguration(baseURL: emulator.baseURL, endpoint: endpoint, bearerToken: BearerToken(token))
    configuration.backoff = BackoffPolicy().scaled(down: 1000)
    return configuration
}

/// Runs a pipeline over `source` until `count` posts have arrived, as one batch.
func firstBatch(of source: TwitterStreamSource, after count: Int) async throws -> [Tweet] {
    try await StreamTestSupport.firstBatch(of: source) { await source.waitForRecords(count) }
}

/// Runs a connection on its own thread and records its events until stopped.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [TwitterStreamEvent] = []
    private var waiters: [(Int, CheckedContinuation<Void, Never>)] = []

    func record(_ event: TwitterStreamEvent) {
        lock.lock()
        recorded.append(event)
        let ready = waiters.filter { $0.0 <= recorded.count }
        waiters.removeAll { $0.0 <= recorded.count }
        lock.unlock()
        ready.forEach { $0.1.resume() }
    }

    var events: [TwitterStreamEvent] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Returns once `count` events were recorded.
    func wait(for count: Int) async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if recorded.count >= count {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append((count, continuation))
                lock.unlock()
            }
        }
    }
}
