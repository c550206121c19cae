import Foundation
import Logging
import StreamCore

/// A long-lived connection to the filtered or sample stream that reconnects as the X API asks
/// clients to, detects stalls, and stops only when told to or when the API refuses the
/// request for good (bad token, wrong access tier, no rules).
///
/// Sendable: `stopped` and `stats` are read and written under `condition`; the rest is immutable.
public final class TwitterStreamConnection: @unchecked Sendable {
    public let configuration: TwitterStreamConfiguration
    private let logger = Logger(label: "TwitterSource")
    private let condition = NSCondition()
    private var stopped = false
    private var stats = TwitterStreamStatistics()
    private let onEvent: (@Sendable (TwitterStreamEvent) -> Void)?
    private let metrics: TwitterStreamMetrics

    public init(_ configuration: TwitterStreamConfiguration, onEvent: (@Sendable (TwitterStreamEvent) -> Void)? = nil) {
        self.configuration = configuration
        self.onEvent = onEvent
        metrics = TwitterStreamMetrics(endpoint: configuration.endpoint.rawValue)
    }

    /// A snapshot of the counters.
    public var statistics: TwitterStreamStatistics { locked { stats } }

    /// Reads the stream on the calling thread until `stop()`, handing over every message.
    /// - Throws: `TwitterStreamError.fatal` when the API refuses the request for good.
    public func run(onMessage: (StreamMessage) -> Void) throws {
        var backoff = ReconnectBackoff(policy: configuration.backoff)
        while !locked({ stopped }) {
            let transfer = CurlTransfer(url: configuration.streamURL)
            transfer.headers = configuration.requestHeaders
            transfer.stallTimeout = configuration.stallTimeout
            var framer = LineFramer(maxLineBytes: configuration.maxLineBytes)
            var status = 0
            var errorBody: [UInt8] = []
            var disconnect: String?
            func deliver(_ result: Result<String, LineFramer.Rejection>, _: ArraySlice<UInt8>) {
                let message: StreamMessage
                switch result {
                case .success(let line): message = TweetDecoder.decode(line)
                case .failure(let rejection): message = .malformed(reason: "\(rejection)")
                }
                self.count(message)
                if case .disconnect(let type, let detail) = message { disconnect = "\(type): \(detail)" }
                onMessage(message)
            }
            let end = transfer.perform(
                onHead: { head in
                    status = head.status
                    guard head.status == 200 else { return }
                    backoff.reset()
                    let rateLimit = Self.rateLimit(head.headers)
                    locked {
                        stats.connects += 1
                        stats.rateLimit = rateLimit ?? stats.rateLimit
                    }
                    metrics.connects.increment()
                    logger.info("connected to \(configuration.endpoint.rawValue)")
                    onEvent?(.connected(rateLimit: rateLimit))
                },
                onData: { bytes in
                    locked { stats.bytes += bytes.count }
                    metrics.bytes.increment(by: bytes.count)
                    if status == 200 {
                        framer.append(bytes, deliver)
                    } else if errorBody.count < 65_536 {
                        errorBody.append(contentsOf: bytes)
                    }
                },
                isCancelled: { locked { stopped } })
            if status == 200 { framer.finish(deliver) }
            if locked({ stopped }) || end == .cancelled { break }

            let reason: String
            let delay: Duration
            switch status {
            case 200:
                if end == .stalled {
                    locked { stats.stalls += 1 }
                    metrics.stalls.increment()
                    reason = "stalled: no data or keep-alive for \(configuration.stallTimeout)"
                } else {
                    reason = disconnect.map { "disconnected by the server (\($0))" } ?? "the server closed the stream"
                }
                delay = backoff.delay(after: .network)
            case 0:
                if case .failed(let message) = end { reason = "network error: \(message)" } else { reason = "no response" }
                delay = backoff.delay(after: .network)
            case 400, 401, 403, 409:
                let error = Self.fatalError(status: status, body: errorBody)
                locked { stats.lastError = error.description }
                logger.error("\(error)")
                onEvent?(.stopped(error))
                throw error
            case 429:
                reason = "HTTP 429 \(Self.problem(errorBody) ?? "Too Many Requests")"
                delay = backoff.delay(after: .rateLimited)
            default:
                reason = "HTTP \(status) \(Self.problem(errorBody) ?? "")"
                delay = backoff.delay(after: .http)
            }
            locked {
                stats.reconnects += 1
                stats.lastError = reason
            }
            metrics.reconnects.increment()
            logger.warning("\(reason); reconnecting in \(delay)")
            onEvent?(.reconnecting(reason: reason, delay: delay))
            pause(delay)
        }
    }

    /// Ends `run` (within about a second), also while it waits to reconnect.
    public func stop() {
        locked {
            stopped = true
            condition.broadcast()
        }
    }

    private func count(_ message: StreamMessage) {
        locked {
            switch message {
            case .tweet: stats.tweets += 1
            case .keepAlive: stats.keepAlives += 1
            case .malformed: stats.malformed += 1
            case .disconnect, .notice: break
            }
        }
        switch message {
        case .tweet: metrics.posts.increment()
        case .keepAlive: metrics.keepAlives.increment()
        case .malformed: metrics.malformed.increment()
        case .disconnect, .notice: break
        }
    }

    private func pause(_ delay: Duration) {
        let deadline = Date().addingTimeInterval(Double(delay.wholeMilliseconds) / 1000)
        condition.lock()
        while !stopped, Date() < deadline { _ = condition.wait(until: deadline) }
        condition.unlock()
    }

    private static func rateLimit(_ headers: [String: String]) -> RateLimit? {
        guard let limit = headers["x-rate-limit-limit"].flatMap(Int.init),
            let remaining = headers["x-rate-limit-remaining"].flatMap(Int.init),
            let reset = headers["x-rate-limit-reset"].flatMap(Int64.init)
        else { return nil }
        return RateLimit(limit: limit, remaining: remaining, reset: reset)
    }

    /// The `title` (or `detail`) of an API problem body.
    private static func problem(_ body: [UInt8]) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
        let first = (object["errors"] as? [[String: Any]])?.first
        return (object["title"] ?? object["detail"] ?? first?["message"] ?? first?["title"]) as? String
    }

    private static func fatalError(status: Int, body: [UInt8]) -> TwitterStreamError {
        let title = problem(body) ?? "HTTP \(status)"
        let fix: String
        switch status {
        case 401:
            fix = "the bearer token was refused: set TWITTER_BEARER_TOKEN (or --bearer-token-file) to your app's bearer token"
        case 403:
            fix =
                "the app's access tier does not include this endpoint (client-not-enrolled): check the project's access level in the X developer portal"
        case 409: fix = "the filtered stream has no rules: add rules first (for example --track swift) or use the sample stream"
        default: fix = "the request was refused: check the tweet.fields, expansions and user.fields settings"
        }
        return .fatal(status: status, title: title, fix: fix)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }
}
