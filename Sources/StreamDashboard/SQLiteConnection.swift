import CSQLite
import Foundation
import Locking
import Synchronization

/// One SQLite connection to a private in-memory database, used under a lock.
///
/// `@unchecked Sendable` is sound: the handle is only touched inside `withLock`, and the
/// progress handler (which SQLite calls on the locked thread) reads an atomic deadline.
final class Connection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = Locked(())
    /// When a running query is interrupted, in nanoseconds since `reference`; 0: never.
    private let deadline = Atomic<Int64>(0)
    private let expired = Atomic<Bool>(false)

    init() throws {
        var db: OpaquePointer?
        let flags =
            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE
        guard sqlite3_open_v2(":memory:", &db, flags, nil) == SQLITE_OK, let db else {
            if let db { sqlite3_close(db) }
            throw SQLViews.QueryError(description: "cannot open an in-memory SQLite database", isClientError: false)
        }
        handle = db
        let context = Unmanaged.passUnretained(self).toOpaque()
        // Queries never attach files, detach, or change settings.
        sqlite3_set_authorizer(
            handle,
            { _, action, _, value, _, _ in
                switch action {
                case SQLITE_ATTACH, SQLITE_DETACH: return SQLITE_DENY
                case SQLITE_PRAGMA where value != nil: return SQLITE_DENY
                default: return SQLITE_OK
                }
            }, nil)
        sqlite3_progress_handler(
            handle, 10_000,
            { context in
                let connection = Unmanaged<Connection>.fromOpaque(context!).takeUnretainedValue()
                return connection.isPastDeadline ? 1 : 0
            }, context)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    func withLock<T>(_ body: (Connection) throws -> T) rethrows -> T {
        try lock.withLock { _ in try body(self) }
    }

    func execute(_ sql: String) throws {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw error(sql) }
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw error(sql) }
        return statement
    }

    /// A user's query: exactly one statement (a tail of anything but spaces and `;` is refused).
    func prepareQuery(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        var rest = ""
        let status = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v2(handle, text, -1, &statement, &tail)
            if let tail { rest = String(cString: tail) }
            return status
        }
        guard status == SQLITE_OK else {
            throw SQLViews.QueryError(description: message, isClientError: true)
        }
        guard let statement else { throw SQLViews.QueryError(description: "empty query", isClientError: true) }
        guard rest.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            sqlite3_finalize(statement)
            throw SQLViews.QueryError(description: "one statement at a time", isClientError: true)
        }
        return statement
    }

    func bind(_ value: SQLViews.Value, at index: Int32, in statement: OpaquePointer) {
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case .integer(let number): sqlite3_bind_int64(statement, index, number)
        case .real(let number): sqlite3_bind_double(statement, index, number)
        case .text(let text): sqlite3_bind_text(statement, index, text, -1, Self.transient)
        }
    }

    func value(at column: Int32, in statement: OpaquePointer) -> SQLViews.Value {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
        case SQLITE_NULL: .null
        default: .text(sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "")
        }
    }

    /// Arms the time limit of the query about to run (`didExpire` tells whether it fired).
    func interrupt(at instant: ContinuousClock.Instant) {
        expired.store(false, ordering: .relaxed)
        deadline.store(Self.nanoseconds(instant), ordering: .relaxed)
    }

    func stopInterrupting() {
        deadline.store(0, ordering: .relaxed)
    }

    var didExpire: Bool { expired.load(ordering: .relaxed) }

    private var isPastDeadline: Bool {
        let limit = deadline.load(ordering: .relaxed)
        guard limit != 0, Self.nanoseconds(.now) > limit else { return false }
        expired.store(true, ordering: .relaxed)
        return true
    }

    var message: String { String(cString: sqlite3_errmsg(handle)) }

    func error(_ doing: String) -> SQLViews.QueryError {
        SQLViews.QueryError(description: "SQLite: \(message)", isClientError: false)
    }

    private static func nanoseconds(_ instant: ContinuousClock.Instant) -> Int64 {
        let since = instant - ContinuousClock.Instant.reference
        return since.components.seconds * 1_000_000_000 + since.components.attoseconds / 1_000_000_000
    }

    /// SQLite copies bound text (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

extension ContinuousClock.Instant {
    /// A fixed origin for storing instants as integers.
    fileprivate static let reference = ContinuousClock.now
}
