/// The columns of a Parquet file: flat columns of a logical type, or lists of one.
///
/// ```swift
/// let schema = ParquetSchema([
///     .init("id", .int64),
///     .init("created_at", .timestampMillis, optional: true),
///     .init("text", .string),
///     .init("hashtags", .list(.string), optional: true),
/// ])
/// ```
public struct ParquetSchema: Sendable, Hashable {
    /// What a column holds.
    public indirect enum ColumnType: Sendable, Hashable, CustomStringConvertible {
        case boolean
        case int64
        case double
        /// UTF-8 text (`BYTE_ARRAY` annotated `STRING`).
        case string
        /// Milliseconds since the epoch, UTC (`INT64` annotated `TIMESTAMP(MILLIS, true)`).
        case timestampMillis
        /// A list of values of a flat type (Parquet's three-level `LIST`; elements are never null).
        case list(ColumnType)

        public var description: String {
            switch self {
            case .boolean: "boolean"
            case .int64: "int64"
            case .double: "double"
            case .string: "string"
            case .timestampMillis: "timestamp(ms, UTC)"
            case .list(let element): "list<\(element)>"
            }
        }

        /// The type of the stored values: the element type for a list.
        var leaf: ColumnType {
            if case .list(let element) = self { return element }
            return self
        }

        var isList: Bool {
            if case .list = self { return true }
            return false
        }
    }

    /// One column.
    public struct Column: Sendable, Hashable {
        /// The column's name.
        public let name: String
        /// What it holds.
        public let type: ColumnType
        /// Whether a row may have no value (null) in it.
        public let optional: Bool

        /// A column `name` of `type`; `optional` columns accept `.null`.
        public init(_ name: String, _ type: ColumnType, optional: Bool = false) {
            precondition(!type.leaf.isList, "lists of lists are not supported")
            self.name = name
            self.type = type
            self.optional = optional
        }

        /// The highest definition level of the column's values.
        var maxDefinitionLevel: Int { (optional ? 1 : 0) + (type.isList ? 1 : 0) }
        /// The highest repetition level: 1 for lists.
        var maxRepetitionLevel: Int { type.isList ? 1 : 0 }
    }

    /// The columns, in file order.
    public let columns: [Column]

    /// A schema of `columns` (names must be distinct).
    public init(_ columns: [Column]) {
        precondition(Set(columns.map(\.name)).count == columns.count, "column names must be distinct")
        self.columns = columns
    }
}
