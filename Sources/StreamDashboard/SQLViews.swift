import CSQLite
import Foundation

/// Named views over the latest batches, queried with read-only SQL: Spark's
/// `createOrReplaceTempView` plus `spark.sql(...)`, on an in-memory SQLite database.
///
/// Each registration replaces the view's rows in one transaction, so a query sees one batch
/// or the next, never half of one. Queries run one at a time (a single connection), must be a
/// single statement that SQLite itself reports as read-only, stop after `rowLimit` rows, and
/// are interrupted after `timeLimit`.
public final class SQLViews: Sendable {
    /// A view's column: a name and the type SQLite stores.
    public struct Column: Sendable, Hashable {
        /// SQLite's storage class for the column.
        public enum Kind: String, Sendable { case text = "TEXT", integer = "INTEGER", real = "REAL" }
        /// The column's name in queries.
        public let name: String
        /// What the column holds.
        public let kind: Kind

        /// The column `name` holding `kind` values.
        public init(_ name: String, _ kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }

    /// One cell: what SQLite returns, and what JSON answers carry.
    public enum Value: Sendable, Hashable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    /// A query's answer: column names, rows, and whether `rowLimit` cut it short.
    public struct Answer: Sendable {
        /// The result's column names, in order.
        public let columns: [String]
        /// The rows, each as long as `columns`.
        public let rows: [[Value]]
        /// Whether more rows matched than `rowLimit`.
        public let truncated: Bool
    }

    /// Why a query was refused or failed; `isClientError` tells a bad query from a broken database.
    public struct QueryError: Error, Sendable, CustomStringConvertible {
        /// What went wrong, for the caller.
        public let description: String
        /// True for queries the caller must change (syntax, writes, unknown tables, time limit).
        public let isClientError: Bool
    }

    private let connection: Connection
    /// The most rows an answer holds.
    public let rowLimit: Int
    /// How long a query may run.
    public let timeLimit: Duration

    /// An empty in-memory database.
    public init(rowLimit: Int = 1000, timeLimit: Duration = .seconds(2)) throws {
        connection = try Connection()
        self.rowLimit = rowLimit
        self.timeLimit = timeLimit
    }

    /// Replaces the view `name` with `rows` (each as long as `columns`).
    /// - Throws: `QueryError` for a view without columns or a row of another length.
    public func replace(view name: String, columns: [Column], rows: [[Value]]) throws {
        guard !columns.isEmpty, rows.allSatisfy({ $0.count == columns.count }) else {
            throw QueryError(
                description: "view \(name): every row needs one value per column (\(columns.count))", isClientError: true)
        }
        let table = Self.quoted(name)
        let definition = columns.map { "\(Self.quoted($0.name)) \($0.kind.rawValue)" }.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        try connection.withLock { db in
            try db.execute("BEGIN")
            do {
                try db.execute("DROP TABLE IF EXISTS \(table)")
                try db.execute("CREATE TABLE \(table) (\(definition))")
                let insert = try db.prepare("INSERT INTO \(table) VALUES (\(placeholders))")
                defer { sqlite3_finalize(insert) }
                for row in rows {
                    for (i, value) in row.enumerated() { db.bind(value, at: Int32(i + 1), in: insert) }
                    guard sqlite3_step(insert) == SQLITE_DONE else { throw db.error("insert into \(name)") }
                    sqlite3_reset(insert)
                }
                try db.execute("COMMIT")
            } catch {
                try? db.execute("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs one read-only statement.
    /// - Throws: `QueryError` (a client error) for anything that would write, several
    ///   statements, invalid SQL, or a query over the time limit.
    public func query(_ sql: String) throws -> Answer {
        try connection.withLock { db in
            let statement = try db.prepareQuery(sql)
            defer { sqlite3_finalize(statement) }
            guard sqlite3_stmt_readonly(statement) != 0 else {
                throw QueryError(description: "only read-only queries are allowed", isClientError: true)
            }
            let count = sqlite3_column_count(statement)
            let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
            var rows: [[Value]] = []
            db.interrupt(at: ContinuousClock.now.advanced(by: timeLimit))
            defer { db.stopInterrupting() }
            while rows.count < rowLimit {
                switch sqlite3_step(statement) {
                case SQLITE_ROW: rows.append((0..<count).map { db.value(at: $0, in: statement) })
                case SQLITE_DONE: return Answer(columns: columns, rows: rows, truncated: false)
                case SQLITE_INTERRUPT where db.didExpire:
                    throw QueryError(description: "query ran longer than \(timeLimit)", isClientError: true)
                default: throw db.error("query")
                }
            }
            return Answer(columns: columns, rows: rows, truncated: sqlite3_step(statement) == SQLITE_ROW)
        }
    }

    /// `name` as an SQL identifier.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
