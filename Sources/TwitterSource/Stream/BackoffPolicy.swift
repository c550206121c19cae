/// How long to wait before reconnecting, as the X API asks clients to (TWITTER_STREAM.md):
/// linear for network errors, exponential for HTTP errors, longer for rate limits; reset after
/// every successful connection. Tests shrink the base delays.
public struct BackoffPolicy: Sendable {
    /// Network errors, stalls and disconnects: +`networkStep` per attempt, up to `networkMax`.
    public var networkStep: Duration = .milliseconds(250)
    public var networkMax: Duration = .seconds(16)
    /// HTTP 5xx and other retriable statuses: from `httpInitial`, doubling, up to `httpMax`.
    public var httpInitial: Duration = .seconds(5)
    public var httpMax: Duration = .seconds(320)
    /// HTTP 429: from `rateLimitInitial`, doubling, up to `rateLimitMax`.
    public var rateLimitInitial: Duration = .seconds(60)
    public var rateLimitMax: Duration = .seconds(900)

    public init() {}

    /// Every delay divided by `factor` (e.g. 1000 turns seconds into milliseconds).
    public func scaled(down factor: Int) -> BackoffPolicy {
        var policy = self
        for path in [\BackoffPolicy.networkStep, \.networkMax, \.httpInitial, \.httpMax, \.rateLimitInitial, \.rateLimitMax] {
            policy[keyPath: path] = policy[keyPath: path] / factor
        }
        return policy
    }
}

/// The backoff state of one stream: a pure value, so its arithmetic is unit-tested.
struct ReconnectBackoff {
    enum Failure: Equatable {
        case network
        case http
        case rateLimited
    }

    let policy: BackoffPolicy
    private var attempts: [Failure: Int] = [:]

    init(policy: BackoffPolicy) {
        self.policy = policy
    }

    /// The delay before the next attempt after `failure`.
    mutating func delay(after failure: Failure) -> Duration {
        let n = attempts[failure, default: 0]
        attempts[failure] = n + 1
        switch failure {
        case .network: return min(policy.networkStep * (n + 1), policy.networkMax)
        case .http: return min(policy.httpInitial * (1 << min(n, 20)), policy.httpMax)
        case .rateLimited: return min(policy.rateLimitInitial * (1 << min(n, 20)), policy.rateLimitMax)
        }
    }

    /// A connection succeeded (HTTP 200): start over.
    mutating func reset() {
        attempts = [:]
    }
}
