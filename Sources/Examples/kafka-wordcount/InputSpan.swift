import Foundation
import Locking
import StreamCore

/// When this member read its first and its last input, for the summary it prints at the end.
final class InputSpan: StreamingListener, Sendable {
    private let span = Locked<(records: Int, first: Date?, last: Date?, started: Date?)>((0, nil, nil, nil))

    func batchStarted(_ batch: BatchInfo) {
        let now = Date()
        span.withLock { $0.started = now }
    }

    func batchCompleted(_ batch: BatchInfo) {
        let now = Date()
        span.withLock { span in
            guard batch.totalInputRecords > 0 else { return }
            if span.records == 0 { span.first = span.started }
            span.records += batch.totalInputRecords
            span.last = now
        }
    }

    /// `read N records from T1 to T2` (seconds since 1970: the start of the first batch with
    /// input, the end of the last one).
    var summary: String {
        let (records, first, last, _) = span.withLock { $0 }
        guard let first, let last else { return "read no records" }
        return "read \(records) records from \(first.timeIntervalSince1970) to \(last.timeIntervalSince1970)"
    }
}
