/// Why the stream stopped for good. Retriable conditions (network errors, 5xx, 429, stalls,
/// disconnect messages) never surface as errors: they are retried and reported as events.
public enum TwitterStreamError: Error, CustomStringConvertible, Sendable {
    /// The API refused the request in a way retrying cannot fix (400, 401, 403, 409).
    case fatal(status: Int, title: String, fix: String)
    /// A setting is wrong (no token, a bad URL).
    case invalidSetting(String)
    /// The rules endpoint refused rules or failed.
    case rules(String)

    public var description: String {
        switch self {
        case .fatal(let status, let title, let fix): return "X API answered \(status) (\(title)): \(fix)"
        case .invalidSetting(let message): return message
        case .rules(let message): return "stream rules: \(message)"
        }
    }
}
