import Locking
import StreamCore
import TwitterEmulator

/// `tweetsPerBatch` new generated tweets (v1.1 JSON) each batch, for ever: the live input of
/// the dashboard when no file is replayed.
public final class GeneratedTweetSource: StreamSource, Sendable {
    private let statuses = Locked(GeneratedStatuses(TweetGenerator(seed: UInt64.random(in: 1...UInt64.max))))
    private let tweetsPerBatch: Int

    public init(tweetsPerBatch: Int) {
        self.tweetsPerBatch = tweetsPerBatch
    }

    public func records(for time: BatchTime) throws -> [String] {
        statuses.withLock { statuses in (0..<tweetsPerBatch).compactMap { _ in statuses.next() } }
    }
}
