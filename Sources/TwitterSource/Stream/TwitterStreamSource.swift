import Foundation
import Locking
import StreamCore

/// A DStream source of posts from the X API v2 filtered or sample stream.
///
/// A reader thread keeps the connection (reconnects, stall detection, backoff) and decodes
/// posts into a bounded buffer, so a slow pipeline never stalls the socket read (the API drops
/// slow readers). Posts arriving while the buffer is full, and malformed lines, are counted in
/// `rejectedRecords` and passed to `onRejected`: never silently dropped. A fatal API answer
/// (bad token, wrong tier, no rules) fails the next batch with a message naming the fix.
public final class TwitterStreamSource: StreamSource, Sendable {
    public let connection: TwitterStreamConnection
    private let buffer: ReceiverBuffer<Tweet>
    private let onRejected: (@Sendable (RejectedRecord) -> Void)?
    private let warningSink: WarningSink
    private let state = Locked(State())

    private struct State {
        var failure: (any Error)?
        var overflowed = 0
    }

    /// - Parameters:
    ///   - bufferCapacity: posts held between batches; more are counted as overflow.
    ///   - maxRecordsPerBatch: the most posts one batch takes (nil: all that arrived).
    ///   - onRejected: receives malformed lines and overflowed posts (a dead-letter hook).
    public init(
        _ configuration: TwitterStreamConfiguration, bufferCapacity: Int = 100_000, maxRecordsPerBatch: Int? = nil,
        onRejected: (@Sendable (RejectedRecord) -> Void)? = nil
    ) {
        buffer = ReceiverBuffer(capacity: bufferCapacity, maxRecordsPerBatch: maxRecordsPerBatch)
        self.onRejected = onRejected
        let warnings = WarningSink()
        connection = TwitterStreamConnection(configuration) { event in
            if case .reconnecting(let reason, let delay) = event { warnings.add("\(reason); reconnecting in \(delay)") }
        }
        self.warningSink = warnings
    }

    public func start() throws {
        let thread = Thread { [self] in
            do {
                try connection.run { message in
                    switch message {
                    case .tweet(let tweet):
                        switch buffer.offer(tweet) {
                        case .accepted: break
                        case .closed: connection.stop()  // stopping: not an overflow
                        case .full:
                            state.withLock { $0.overflowed += 1 }
                            onRejected?(
                                RejectedRecord(
                                    source: "x-stream", reason: "buffer full (pipeline too slow)", bytes: Array(tweet.id.utf8)))
                        }
                    case .malformed(let reason):
                        onRejected?(RejectedRecord(source: "x-stream", reason: reason, bytes: []))
                    case .keepAlive, .disconnect, .notice:
                        break
                    }
                }
            } catch {
                state.withLock { $0.failure = error }
                buffer.close()  // wakes `waitForRecords`; the next batch reports the failure
            }
        }
        thread.name = "TwitterSource.reader"
        thread.start()
    }

    public func stop() {
        connection.stop()
        buffer.close()
    }

    public func records(for time: BatchTime) throws -> [Tweet] {
        if let failure = state.withLock({ $0.failure }), buffer.count == 0 { throw failure }
        return buffer.take()
    }

    public var waitingRecords: Int { buffer.count }
    public var rejectedRecords: Int { state.withLock { $0.overflowed } + connection.statistics.malformed }
    public func takeWarnings() -> [String] { warningSink.take() }

    /// The connection's counters, plus posts lost to a full buffer.
    public var statistics: TwitterStreamStatistics {
        var stats = connection.statistics
        stats.overflowed = state.withLock { $0.overflowed }
        return stats
    }

    /// Returns once at least `count` posts wait for the next batch, or the source stopped
    /// (also on a fatal API answer).
    public func waitForRecords(_ count: Int) async {
        await buffer.waitForRecords(count)
    }
}

/// Reconnect reports waiting for the next batch's `BatchInfo.sourceWarnings`.
private final class WarningSink: Sendable {
    private let pending = Locked<[String]>([])

    func add(_ warning: String) {
        pending.withLock { $0.append(warning) }
    }

    func take() -> [String] {
        pending.withLock { pending in
            defer { pending = [] }
            return pending
        }
    }
}

extension StreamingContext {
    /// A stream of posts from the X API v2 filtered or sample stream.
    public func twitterStream(_ configuration: TwitterStreamConfiguration, name: String = "x-stream") -> DStream<Tweet> {
        stream(from: TwitterStreamSource(configuration), name: name)
    }
}
