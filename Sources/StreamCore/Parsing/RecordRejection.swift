/// Why a parsing operator refused a record: a short `kind` that is counted (`"malformed"`,
/// `"not_a_tweet"`) and a `reason` for people and the dead letter.
public struct RecordRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category the record is counted under in `BatchInfo.refusedRecords`.
    public var kind: String
    /// What was wrong with this record.
    public var reason: String

    public init(kind: String, reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(kind): \(reason)" }
}

/// A record a parsing operator refused, as the dead letter receives it.
public struct UnparsedRecord<Record: Sendable>: Sendable {
    /// The record exactly as the parser saw it.
    public var record: Record
    /// Why it was refused.
    public var rejection: RecordRejection
}
