/// A window of event time, `[start, end)` in milliseconds since the Unix epoch (Spark's
/// `window` column).
public struct EventTimeWindow: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    public static func < (a: EventTimeWindow, b: EventTimeWindow) -> Bool { (a.start, a.end) < (b.start, b.end) }

    public var description: String { "[\(start), \(end))" }

    /// The windows of `length` sliding every `slide` that contain `time` (as Spark computes
    /// them: starts are multiples of `slide` from the epoch), earliest first.
    static func containing(_ time: Int64, length: Int64, slide: Int64) -> [EventTimeWindow] {
        let lastStart = time - ((time % slide) + slide) % slide  // floor to a multiple of slide
        var windows: [EventTimeWindow] = []
        var start = lastStart
        while start > time - length {
            windows.append(EventTimeWindow(start: start, end: start + length))
            start -= slide
        }
        return windows.reversed()
    }
}

/// When an event-time aggregation emits a window (Spark Structured Streaming's output modes).
public enum EventTimeOutputMode: Sendable {
    /// Every batch, the windows whose aggregate changed in it, with their current value.
    case update
    /// Each window once, final, in the first batch after the watermark passed its end.
    case append
}
