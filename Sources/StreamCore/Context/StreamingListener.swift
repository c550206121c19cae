/// Receives the life of every batch. Called on the scheduler thread: return quickly.
///
/// Every method has an empty default, so a listener implements only what it needs.
public protocol StreamingListener: AnyObject, Sendable {
    /// The batch's time was reached and it was queued.
    func batchSubmitted(_ batch: BatchInfo)
    /// The batch began processing (its sources were cut).
    func batchStarted(_ batch: BatchInfo)
    /// The batch ended, successfully or with `batch.failure`.
    func batchCompleted(_ batch: BatchInfo)
    /// The context stopped; `error` is what stopped it, if anything failed.
    func contextStopped(error: (any Error)?)
}

extension StreamingListener {
    public func batchSubmitted(_ batch: BatchInfo) {}
    public func batchStarted(_ batch: BatchInfo) {}
    public func batchCompleted(_ batch: BatchInfo) {}
    public func contextStopped(error: (any Error)?) {}
}

/// What happened to one batch (Spark's `BatchInfo`).
public struct BatchInfo: Sendable {
    /// The batch time.
    public var time: BatchTime
    /// 1-based batch number since the context first started (continues after a restore).
    public var index: Int
    /// How long the batch waited after its time before it started.
    public var schedulingDelay: Duration?
    /// How long the batch took, from start to completion.
    public var processingTime: Duration?
    /// Records the sources handed to this batch, by source name.
    public var inputRecords: [String: Int] = [:]
    /// Per source, records received but left waiting for a later batch (backpressure).
    public var waitingRecords: [String: Int] = [:]
    /// Per source, records rejected since start (malformed, over-long, invalid UTF-8).
    public var rejectedRecords: [String: Int] = [:]
    /// Per operator that refuses records — parsers (`DStream.parse`, `tweets()`) and event-time
    /// windows (`aggregateByEventTime`) — records it refused in this batch, by kind
    /// (`"malformed"`, `"not_a_tweet"`, `"late"`, `"no_event_time"`).
    public var refusedRecords: [String: [String: Int]] = [:]
    /// Per source, problems it recovered from during the batch (retries, reconnects).
    public var sourceWarnings: [String: [String]] = [:]
    /// Records written by each output operation, by output name.
    public var outputRecords: [String: Int] = [:]
    /// The error that failed the batch, if one did.
    public var failure: StreamingError?

    /// All records handed to this batch by all sources.
    public var totalInputRecords: Int { inputRecords.values.reduce(0, +) }
}
