/// The time a batch belongs to, in milliseconds on the context's clock (Spark's `Time`).
///
/// Batch *k* of a context that started at `zero` has the time `zero + k × interval`.
public struct BatchTime: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Milliseconds since the clock's epoch (the Unix epoch for the system clock).
    public var milliseconds: Int64

    /// The time `milliseconds` after the epoch (or after a manual clock's zero).
    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: BatchTime, rhs: BatchTime) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    /// The time `duration` later (whole milliseconds).
    public static func + (time: BatchTime, duration: Duration) -> BatchTime {
        BatchTime(milliseconds: time.milliseconds + duration.wholeMilliseconds)
    }

    /// Spark's console form, `1715624525000 ms`.
    public var description: String { "\(milliseconds) ms" }
}

extension Duration {
    /// The duration in whole milliseconds (sub-millisecond parts are dropped): the one
    /// conversion the package's modules share.
    package var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Where the scheduler is: the batch's 1-based index and its time.
@usableFromInline
struct BatchPosition: Sendable {
    @usableFromInline let index: Int
    @usableFromInline let time: BatchTime

    @usableFromInline
    init(index: Int, time: BatchTime) {
        self.index = index
        self.time = time
    }
}
