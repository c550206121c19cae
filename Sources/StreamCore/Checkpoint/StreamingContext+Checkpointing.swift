import Foundation

extension StreamingContext {
    /// Builds the pipeline with `create`, then, if `directory` holds a checkpoint, restores its
    /// state, windows and source positions so the context continues with the next batch.
    ///
    /// Unlike Spark, the pipeline is never deserialized: `create` always runs (your code *is*
    /// the pipeline), and the checkpoint supplies only data. Stateful operators are matched by
    /// name (their `name:` argument, else their lineage), so a pipeline changed elsewhere
    /// still restores.
    ///
    /// - Throws: `StreamingError.checkpointMismatch` naming the operator when the checkpoint
    ///   cannot be restored (missing or extra state, changed types, a source it no longer has),
    ///   `StreamingError.batchIntervalChanged` for another batch interval: state is never reset
    ///   silently. `StreamingError.sourceNotReplayable` when a source
    ///   that cannot replay (a `QueueSource`) already holds records: after a restart they
    ///   would be counted twice (Spark refuses to checkpoint a queue stream too).
    public static func getOrCreate(
        checkpoint directory: String, create: () throws -> StreamingContext
    ) throws -> StreamingContext {
        let context = try create()
        let sources = context.state.withLock { $0.sources }
        if let source = sources.first(where: { !$0.isReplayable && $0.hasPendingRecords }) {
            throw StreamingError.sourceNotReplayable(source: source.sourceName, type: source.typeName)
        }
        let store = try context.checkpointStore ?? CheckpointStore(directory: directory)
        if context.checkpointStore == nil { context.state.withLock { $0.checkpointStore = store } }
        let skipped = { (path: String, reason: String) in
            context.logger.warning(
                "skipping a corrupt checkpoint, restoring the one before it",
                metadata: ["path": "\(path)", "reason": "\(reason)"])
        }
        if let checkpoint = try store.latest(onSkipped: skipped) {
            try context.restore(from: checkpoint)
            context.logger.info(
                "restored checkpoint", metadata: ["batch": "\(checkpoint.batchIndex)", "time": "\(checkpoint.batchTime)"])
        }
        return context
    }

    /// Restores a checkpoint into this (not yet started) pipeline.
    func restore(from checkpoint: Checkpoint) throws {
        let interval = batchInterval.wholeMilliseconds
        guard checkpoint.batchIntervalMilliseconds == interval else {
            throw StreamingError.batchIntervalChanged(
                checkpointMilliseconds: checkpoint.batchIntervalMilliseconds, pipelineMilliseconds: interval)
        }
        let (participants, sources) = state.withLock { ($0.participants, $0.sources) }
        let known = Set(participants.map(\.checkpointName))
        if let unknown = checkpoint.operators.keys.sorted().first(where: { !known.contains($0) }) {
            throw StreamingError.checkpointMismatch(
                operator: unknown,
                reason: "the checkpoint holds state for it but the pipeline has no operator of that name "
                    + "(pipeline operators: \(known.sorted().joined(separator: ", ")))")
        }
        for participant in participants {
            guard let data = checkpoint.operators[participant.checkpointName] else {
                throw StreamingError.checkpointMismatch(
                    operator: participant.checkpointName,
                    reason: "the checkpoint has no state under this name "
                        + "(it has: \(checkpoint.operators.keys.sorted().joined(separator: ", ")))")
            }
            do {
                try participant.restore(from: data)
            } catch {
                throw StreamingError.checkpointMismatch(
                    operator: participant.checkpointName, reason: "its state does not decode: \(error)")
            }
        }
        let sourceNames = Set(sources.map(\.sourceName))
        if let gone = checkpoint.sources.keys.sorted().first(where: { !sourceNames.contains($0) }) {
            throw StreamingError.checkpointMismatch(
                operator: gone,
                reason: "the checkpoint holds the position of source '\(gone)', which the pipeline no longer has "
                    + "(its sources: \(sourceNames.sorted().joined(separator: ", "))): a changed topic or input would "
                    + "continue old state on other data")
        }
        for source in sources {
            guard let position = checkpoint.sources[source.sourceName] else { continue }
            do {
                try source.restore(position: position)
            } catch {
                throw StreamingError.checkpointMismatch(
                    operator: source.sourceName, reason: "its source position does not decode: \(error)")
            }
        }
        state.withLock { state in
            state.zeroTime = checkpoint.zeroTime
            state.nextBatchIndex = checkpoint.batchIndex + 1
        }
        (clock as? ManualClock)?.moveForward(to: checkpoint.batchTime)
    }

    /// Writes a checkpoint after the batch at `position` if a store is set and it is due.
    func writeCheckpointIfDue(after position: BatchPosition) throws {
        let (store, participants, sources, zero) = state.withLock {
            ($0.checkpointStore, $0.participants, $0.sources, $0.zeroTime)
        }
        guard let store, position.index % max(1, configuration.checkpointInterval) == 0 else { return }
        let snapshots = participants.map { ($0.checkpointName, $0.snapshot()) }
        var positions: [String: Data] = [:]
        for source in sources {
            if let position = try source.checkpointPosition() { positions[source.sourceName] = position }
        }
        let interval = batchInterval.wholeMilliseconds
        let sourcePositions = positions
        try checkpointWriter.submit {
            var operators: [String: Data] = [:]
            for (name, snapshot) in snapshots { operators[name] = try snapshot() }
            try store.write(
                Checkpoint(
                    formatVersion: Checkpoint.currentFormatVersion,
                    batchIndex: position.index,
                    batchTime: position.time,
                    zeroTime: zero ?? BatchTime(milliseconds: 0),
                    batchIntervalMilliseconds: interval,
                    operators: operators,
                    sources: sourcePositions))
        }
    }
}
