extension DStream {
    /// Aggregates records into windows of **event time** — the time each record carries, not
    /// the batch it arrived in — with a watermark that bounds how late a record may come
    /// (Spark Structured Streaming's `withWatermark` + `groupBy(window(…))`).
    ///
    /// ```swift
    /// let perMinute = try tweets.aggregateByEventTime(
    ///     eventTime: { $0.createdAt }, length: .seconds(60), watermarkDelay: .seconds(30),
    ///     zero: 0, add: { count, _ in count + 1 }, merge: +)
    /// ```
    ///
    /// Semantics, as Spark defines them:
    /// - A record belongs to every window `[start, start + length)` that contains its event
    ///   time, starts being multiples of `slide` from the epoch (tumbling when `slide` is nil).
    /// - The **watermark** is the largest event time seen in earlier batches minus
    ///   `watermarkDelay` (it never moves back). A record whose event time is at or before the
    ///   watermark is **late**: dropped, and counted as `"late"` in
    ///   `BatchInfo.refusedRecords[name]` (a record without an event time as `"no_event_time"`).
    ///   Later records within the delay still update their windows.
    /// - A window whose end is at or before the watermark is **closed**: its state is freed.
    /// - `.update` emits, every batch, the windows the batch changed, with their current
    ///   aggregate; `.append` emits each window once, final, in the batch in which the
    ///   watermark has passed its end (the watermark moves at the end of a batch, so a window
    ///   closes in the batch after the one whose records moved it).
    /// - Parameters:
    ///   - name: names the state in checkpoints and the operator in `BatchInfo`; default: the lineage.
    ///   - eventTime: the record's event time in milliseconds since the Unix epoch, nil if it has none.
    ///   - length: the window length.
    ///   - slide: how far apart windows start (default: `length`, tumbling windows).
    ///   - watermarkDelay: how late a record may come.
    ///   - outputMode: `.update` (changed windows every batch) or `.append` (closed windows once).
    ///   - zero: the aggregate of no records.
    ///   - add: a record added to an aggregate.
    ///   - merge: two aggregates of the same window combined (partitions aggregate in parallel).
    /// - Throws: `StreamingError.invalidWindow` for a non-positive length, slide or a negative delay.
    /// - Important: Needs a checkpoint store (checked by `start()`).
    public func aggregateByEventTime<Aggregate: Codable & Sendable>(
        name: String? = nil,
        eventTime: @escaping @Sendable (Element) -> Int64?,
        length: Duration, slide: Duration? = nil, watermarkDelay: Duration,
        outputMode: EventTimeOutputMode = .update,
        zero: Aggregate,
        add: @escaping @Sendable (Aggregate, Element) -> Aggregate,
        merge: @escaping @Sendable (Aggregate, Aggregate) -> Aggregate
    ) throws -> EventTimeAggregationDStream<Aggregate> {
        let operatorName = name ?? lineage + "/aggregateByEventTime"
        let lengthMs = length.wholeMilliseconds, slideMs = (slide ?? length).wholeMilliseconds
        let delayMs = watermarkDelay.wholeMilliseconds
        guard lengthMs > 0, slideMs > 0, slideMs <= lengthMs, delayMs >= 0 else {
            throw StreamingError.invalidWindow(
                operator: operatorName, reason: "event-time windows need length ≥ slide > 0 and a watermark delay ≥ 0")
        }
        let state = EventTimeState<Aggregate>()
        context.register(participant: state, named: operatorName)
        context.requireCheckpoint(by: "aggregateByEventTime '\(operatorName)'")
        let context = self.context
        return EventTimeAggregationDStream(
            context: context, lineage: lineage + "/aggregateByEventTime", parents: [self], slide: self.slide, state: state
        ) { [unowned self, executor] _ in
            guard let stage = self.current else { return nil }
            let watermark = state.values.withLock { $0.watermark }
            // Each partition aggregates its records per window; late ones are only counted.
            let partials = try executor.map(stage.partitions.count) { p in
                var windows: [EventTimeWindow: Aggregate] = [:]
                var latest: Int64?, late = 0, missing = 0
                try stage.partitions[p]() { record in
                    guard let time = eventTime(record) else { return missing += 1 }
                    if let watermark, time <= watermark { return late += 1 }
                    latest = max(latest ?? time, time)
                    for window in EventTimeWindow.containing(time, length: lengthMs, slide: slideMs) {
                        windows[window] = add(windows[window] ?? zero, record)
                    }
                }
                return (windows, latest, late, missing)
            }
            let refused =
                Array(repeating: "late", count: partials.reduce(0) { $0 + $1.2 })
                + Array(repeating: "no_event_time", count: partials.reduce(0) { $0 + $1.3 })
            if !refused.isEmpty { context.recordRefusals(refused, by: operatorName) }
            let output: [(EventTimeWindow, Aggregate)] = state.values.withLock { values in
                var changed = Set<EventTimeWindow>()
                for (windows, _, _, _) in partials {
                    for (window, aggregate) in windows {
                        values.windows[window] = values.windows[window].map { merge($0, aggregate) } ?? aggregate
                        changed.insert(window)
                    }
                }
                // Windows the watermark has passed are closed: emitted in append mode, freed.
                let closed = watermark.map { mark in values.windows.keys.filter { $0.end <= mark } } ?? []
                let emitted: [(EventTimeWindow, Aggregate)] =
                    switch outputMode {
                    case .update: changed.map { ($0, values.windows[$0]!) }
                    case .append: closed.map { ($0, values.windows[$0]!) }
                    }
                for window in closed { values.windows[window] = nil }
                // The watermark for the next batch.
                if let latest = partials.compactMap(\.1).max() {
                    values.maxEventTime = max(values.maxEventTime ?? latest, latest)
                }
                if let maxEventTime = values.maxEventTime {
                    values.watermark = max(values.watermark ?? Int64.min, maxEventTime - delayMs)
                }
                return emitted.sorted { $0.0 < $1.0 }
            }
            return Stage(materialized: [output])
        }
    }
}

/// The stream of an event-time aggregation: `(window, aggregate)` per batch as its output
/// mode says, and a view of its state.
///
/// Sendable: as `DStream`; its state locks itself.
public final class EventTimeAggregationDStream<Aggregate: Codable & Sendable>: DStream<(EventTimeWindow, Aggregate)>,
    @unchecked Sendable
{
    private let state: EventTimeState<Aggregate>

    init(
        context: StreamingContext, lineage: String, parents: [any GraphNode], slide: Int, state: EventTimeState<Aggregate>,
        compute: @escaping (BatchPosition) throws -> Stage<(EventTimeWindow, Aggregate)>?
    ) {
        self.state = state
        super.init(context: context, lineage: lineage, parents: parents, slide: slide, compute: compute)
    }

    /// The windows still open (kept in state), earliest first.
    public var openWindows: [EventTimeWindow] { state.values.withLock { $0.windows.keys.sorted() } }

    /// The current watermark: records at or before it are dropped as late; nil before any event time.
    public var watermark: Int64? { state.values.withLock { $0.watermark } }
}
