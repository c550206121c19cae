import Foundation
import Locking
import Logging

/// The entry point of a streaming application: owns the batch interval, the clock, the
/// pipeline, the checkpoint store and the listeners (Spark's `StreamingContext`).
///
/// ```swift
/// let context = StreamingContext(batchInterval: .seconds(1))
/// let lines = context.socketTextStream(host: "localhost", port: 9999)
/// try lines.flatMap(Word.split).map { ($0, 1) }.reduceByKey(+).print()
/// try context.start()
/// try await context.awaitTermination()
/// ```
///
/// - Important: A context runs once: after `stop`, create a new one (as in Spark).
///
/// Sendable: its settings are immutable and everything that changes is in `state`, a `Locked`
/// value. That state holds the graph's nodes, which are not `Sendable`: they are built before
/// `start()` and then only read by the scheduler thread.
public final class StreamingContext: @unchecked Sendable {
    /// The time between batches.
    public let batchInterval: Duration
    /// Settings beyond the batch interval.
    public let configuration: Configuration
    @usableFromInline let executor: ParallelExecutor
    let clock: any SchedulerClock
    var logger: Logger { configuration.logger }
    let state = Locked(ContextState())
    let metrics = StreamingMetrics()
    let checkpointWriter = CheckpointWriter()

    /// A context with the given batch interval.
    /// - Parameters:
    ///   - batchInterval: time between batches; at least 1 ms.
    ///   - clock: a manual clock for tests and replays; nil for the system clock.
    ///   - checkpoint: where state, window contents and source positions are saved after each batch.
    ///   - configuration: parallelism, checkpoint interval, idle stop, signal handling.
    public init(
        batchInterval: Duration,
        clock: ManualClock? = nil,
        checkpoint: CheckpointStore? = nil,
        configuration: Configuration = Configuration()
    ) {
        precondition(batchInterval.wholeMilliseconds >= 1, "the batch interval must be at least 1 ms")
        self.batchInterval = batchInterval
        self.configuration = configuration
        self.executor = ParallelExecutor(parallelism: max(1, configuration.parallelism))
        self.clock = clock ?? SystemClock()
        state.withLock { $0.checkpointStore = checkpoint }
    }

    /// Sets the checkpoint store (Spark's `ssc.checkpoint(dir)`). Call before `start()`.
    public func checkpoint(directory: String) throws {
        let store = try CheckpointStore(directory: directory)
        state.withLock { $0.checkpointStore = store }
    }

    /// The checkpoint store, if one is set.
    public var checkpointStore: CheckpointStore? { state.withLock { $0.checkpointStore } }

    /// Adds a listener for batch events.
    public func addListener(_ listener: any StreamingListener) {
        state.withLock { $0.listeners.append(listener) }
    }

    /// Starts the sources and the scheduler; the first batch runs one interval from now.
    /// - Throws: `StreamingError` when the pipeline is invalid (no outputs, state without a
    ///   checkpoint store, started twice) or a source cannot start.
    public func start() throws {
        let (sources, nextIndex) = try state.withLock { state -> ([any SourceNode], Int) in
            guard state.phase == .building else { throw StreamingError.alreadyStarted }
            guard !state.outputs.isEmpty else { throw StreamingError.noOutputOperations }
            if state.checkpointStore == nil, !state.checkpointRequirements.isEmpty {
                throw StreamingError.checkpointRequired(operators: state.checkpointRequirements)
            }
            if state.checkpointStore != nil,
                let blocked = state.participants.first(where: { $0.cannotCheckpointReason != nil })
            {
                throw StreamingError.invalidArgument(name: blocked.checkpointName, reason: blocked.cannotCheckpointReason!)
            }
            state.phase = .running
            return (state.sources, state.nextBatchIndex)
        }
        if state.withLock({ $0.zeroTime }) == nil {
            let now = clock.now.milliseconds
            let interval = batchInterval.wholeMilliseconds
            let zero = clock is ManualClock ? now : now / interval * interval
            state.withLock { $0.zeroTime = BatchTime(milliseconds: zero) }
        }
        do {
            for source in sources { try source.startSource() }
        } catch {
            sources.forEach { $0.stopSource() }
            state.withLock { $0.phase = .stopped }
            throw error
        }
        if configuration.stopGracefullyOnSignals { installSignalHandlers() }
        if configuration.keepsFreedMemory { _ = FreedMemory.kept }
        clock.attach(firstBatch: batchTime(index: nextIndex))
        let thread = Thread { [self] in runLoop() }
        thread.name = "StreamCore.scheduler"
        thread.stackSize = 16 << 20
        thread.start()
        logger.info("streaming context started", metadata: ["batchInterval": "\(batchInterval)"])
    }

    /// Asks the context to stop and returns at once; `awaitTermination` waits for the end.
    /// - Parameter gracefully: true to stop receiving and process what was already received;
    ///   false to stop after the batch in progress.
    public func requestStop(gracefully: Bool = true) {
        let (sources, wasRunning) = state.withLock { state -> ([any SourceNode], Bool) in
            switch state.phase {
            case .building:
                state.phase = .stopped
                return ([], false)
            case .running:
                state.stopMode = gracefully ? .gracefully : .immediately
                state.phase = .stopping
                return (state.sources, true)
            case .stopping:
                if !gracefully { state.stopMode = .immediately }
                return ([], true)
            case .stopped:
                return ([], false)
            }
        }
        sources.forEach { $0.stopSource() }
        if wasRunning { clock.interrupt() } else { finishTermination(error: nil) }
    }

    /// Stops the context and waits until it has stopped.
    /// - Parameter gracefully: true to process what the sources already received first.
    public func stop(gracefully: Bool = true) async {
        requestStop(gracefully: gracefully)
        _ = try? await awaitTermination()
    }

    /// Waits until the context stops.
    /// - Parameter timeout: how long to wait; nil waits for ever.
    /// - Returns: true if the context stopped, false if the timeout passed first.
    /// - Throws: the `StreamingError.batchFailed` that stopped the context, if a batch failed.
    @discardableResult
    public func awaitTermination(timeout: Duration? = nil) async throws -> Bool {
        let id = UUID()
        return try await withCheckedThrowingContinuation { continuation in
            let outcome: Result<Bool, any Error>? = state.withLock { state in
                if state.phase == .stopped {
                    return state.terminationError.map { .failure($0) } ?? .success(true)
                }
                state.terminationWaiters[id] = continuation
                return nil
            }
            if let outcome { return continuation.resume(with: outcome) }
            if let timeout {
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    let waiter = self?.state.withLock { $0.terminationWaiters.removeValue(forKey: id) }
                    waiter?.resume(returning: false)
                }
            }
        }
    }

    /// Whether the context has stopped.
    public var isStopped: Bool { state.withLock { $0.phase == .stopped } }

    /// The 1-based number of the batch at `time` (it continues after a restore).
    public func batchIndex(at time: BatchTime) -> Int {
        let zero = state.withLock { $0.zeroTime } ?? BatchTime(milliseconds: 0)
        return Int((time.milliseconds - zero.milliseconds) / batchInterval.wholeMilliseconds)
    }

    func batchTime(index: Int) -> BatchTime {
        let zero = state.withLock { $0.zeroTime } ?? BatchTime(milliseconds: 0)
        return BatchTime(milliseconds: zero.milliseconds + Int64(index) * batchInterval.wholeMilliseconds)
    }

    /// Marks the context stopped and wakes everyone waiting for it.
    func finishTermination(error: (any Error)?) {
        let (waiters, listeners, sources) = state.withLock { state in
            state.phase = .stopped
            state.terminationError = error
            let waiters = state.terminationWaiters
            state.terminationWaiters.removeAll()
            return (waiters, state.listeners, state.sources)
        }
        sources.forEach { $0.stopSource() }
        clock.detach()
        for waiter in waiters.values {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: true) }
        }
        listeners.forEach { $0.contextStopped(error: error) }
    }

    /// A second signal must end the process even when a batch is stuck in a call that does
    /// not return (a source's library ignoring its timeout): if the context has not stopped
    /// within `grace`, the process exits with 128 + the signal's number.
    private func exitUnlessStopped(within grace: Duration, signal signalNumber: Int32) {
        let logger = logger
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(grace.wholeMilliseconds))) { [weak self] in
            guard let self, !self.isStopped else { return }
            logger.critical("the batch in progress did not stop within \(grace): exiting")
            exit(128 + signalNumber)
        }
    }

    private func installSignalHandlers() {
        let sources = [SIGINT, SIGTERM].map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let stopping = self.state.withLock { $0.phase == .stopping }
                self.logger.notice(stopping ? "second signal: stopping now" : "signal received: stopping gracefully")
                self.requestStop(gracefully: !stopping)
                if stopping { self.exitUnlessStopped(within: .seconds(5), signal: signalNumber) }
            }
            source.resume()
            return source
        }
        state.withLock { $0.signalSources = sources }
    }
}

/// The mutable part of a context, guarded by its lock.
struct ContextState {
    enum Phase { case building, running, stopping, stopped }
    enum StopMode { case gracefully, immediately }

    var phase = Phase.building
    var stopMode: StopMode?
    var outputs: [OutputOperation] = []
    var sources: [any SourceNode] = []
    var participants: [any CheckpointParticipant] = []
    var checkpointRequirements: [String] = []
    var listeners: [any StreamingListener] = []
    var checkpointStore: CheckpointStore?
    var zeroTime: BatchTime?
    var nextBatchIndex = 1
    /// Consecutive batches that started an interval or more after their time.
    var lateBatchesInARow = 0
    /// Records refused by operators during the batch in progress, by operator and kind.
    var refusedRecords: [String: [String: Int]] = [:]
    var terminationError: (any Error)?
    var terminationWaiters: [UUID: CheckedContinuation<Bool, any Error>] = [:]
    var signalSources: [any DispatchSourceSignal] = []
}
