/// One cell of a row: a value of its column's type, a list of them, or null.
public enum ParquetValue: Sendable, Hashable {
    case null
    case boolean(Bool)
    case int64(Int64)
    case double(Double)
    case string(String)
    /// Milliseconds since the epoch, UTC.
    case timestampMillis(Int64)
    /// The elements of a list column.
    case list([ParquetValue])
}

/// A row that does not fit the schema.
public struct ParquetSchemaError: Error, Sendable, CustomStringConvertible {
    /// What does not fit, naming the column.
    public let description: String

    /// An error saying `description`.
    public init(description: String) {
        self.description = description
    }
}
