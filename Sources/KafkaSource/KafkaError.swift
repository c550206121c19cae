/// A failure talking to Kafka: what was being done, librdkafka's error, and whether retrying
/// can help.
///
/// - Important: Never holds the value of a secret property.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// What the library was doing, e.g. "reading offsets [10, 20) of tweets/3".
    public var operation: String
    /// librdkafka's error name (e.g. `_TRANSPORT`, `TOPIC_AUTHORIZATION_FAILED`), if any.
    public var code: String?
    /// The human-readable reason.
    public var message: String
    /// Whether the same operation may succeed later (a broker down, a leader moving).
    public var isRetriable: Bool
    /// Whether the client can no longer be used (e.g. a fenced idempotent producer).
    public var isFatal: Bool

    public init(operation: String, code: String? = nil, message: String, isRetriable: Bool = false, isFatal: Bool = false) {
        self.operation = operation
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    public var description: String {
        "Kafka: \(operation) failed: \(message)" + (code.map { " (\($0))" } ?? "")
            + (isRetriable ? " [retriable]" : "") + (isFatal ? " [fatal]" : "")
    }
}
