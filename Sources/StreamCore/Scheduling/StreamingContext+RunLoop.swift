import Foundation

extension StreamingContext {
    /// The scheduler thread: waits for each batch time, runs the batch, checkpoints, repeats.
    func runLoop() {
        let (order, outputs) = state.withLock { state in
            (topologicalOrder(from: state.outputs.map(\.node)), state.outputs)
        }
        var idleBatches = 0
        var failure: (any Error)?
        while true {
            let index = state.withLock { $0.nextBatchIndex }
            let position = BatchPosition(index: index, time: batchTime(index: index))
            if state.withLock({ $0.stopMode }) == nil { clock.sleep(until: position.time) }
            let (mode, sources) = state.withLock { ($0.stopMode, $0.sources) }
            if mode == .immediately { break }
            if mode == .gracefully, !sources.contains(where: \.hasPendingRecords) { break }
            do {
                let info = try runBatch(at: position, order: order, outputs: outputs, sources: sources)
                state.withLock { $0.nextBatchIndex = index + 1 }
                idleBatches = info.totalInputRecords == 0 ? idleBatches + 1 : 0
                if let limit = configuration.stopAfterIdleBatches, idleBatches >= limit, mode == nil {
                    logger.info("no input for \(idleBatches) batches: stopping gracefully")
                    requestStop(gracefully: true)
                }
            } catch {
                failure = error
                logger.error("\(error)")
                break
            }
        }
        do {
            try checkpointWriter.drain()
        } catch {
            logger.error("the last checkpoint could not be written: \(error)")
            failure = failure ?? StreamingError.checkpointIO(path: checkpointStore?.directory.path ?? "", reason: "\(error)")
        }
        finishTermination(error: failure)
    }

    /// Runs one batch: cuts the sources, computes the graph, runs the outputs in order, then
    /// checkpoints. Throws `StreamingError.batchFailed` after telling the listeners.
    private func runBatch(
        at position: BatchPosition, order: [any GraphNode], outputs: [OutputOperation], sources: [any SourceNode]
    ) throws -> BatchInfo {
        let listeners = state.withLock { $0.listeners }
        var info = BatchInfo(time: position.time, index: position.index)
        let delay = max(0, clock.now.milliseconds - position.time.milliseconds)
        info.schedulingDelay = .milliseconds(delay)
        let late = delay >= batchInterval.wholeMilliseconds && !(clock is ManualClock)
        let lateInARow = state.withLock { state in
            state.lateBatchesInARow = late ? state.lateBatchesInARow + 1 : 0
            return state.lateBatchesInARow
        }
        if lateInARow == 1 || (lateInARow > 0 && lateInARow % 10 == 0) {
            logger.warning(
                """
                batch \(position.index) starts \(delay) ms after its time (\(lateInARow) late in a row): batches take longer \
                than the \(batchInterval) interval; more cores, a longer interval or a cap on records per batch would let it catch up
                """)
        }
        listeners.forEach { $0.batchSubmitted(info) }
        listeners.forEach { $0.batchStarted(info) }
        let started = ContinuousClock.now
        var stage = "sources"
        defer { order.forEach { $0.release() } }
        do {
            for node in order {
                stage = node.lineage
                try node.advance(to: position)
            }
            for output in outputs {
                stage = "output '\(output.name)'"
                if let written = try output.run(position) { info.outputRecords[output.name] = written }
            }
            stage = "checkpoint"
            try writeCheckpointIfDue(after: position)
        } catch {
            let failure =
                if let attributed = error as? OperatorFailure {
                    StreamingError.batchFailed(
                        time: position.time, stage: attributed.operatorName, underlying: attributed.underlying)
                } else {
                    (error as? StreamingError).flatMap { error -> StreamingError? in
                        if case .batchFailed = error { return error } else { return nil }
                    } ?? StreamingError.batchFailed(time: position.time, stage: stage, underlying: error)
                }
            info.failure = failure
            record(&info, sources: sources, started: started)
            metrics.batchFailures.increment()
            listeners.forEach { $0.batchCompleted(info) }
            throw failure
        }
        record(&info, sources: sources, started: started)
        sources.forEach { $0.didCompleteBatch(at: position.time) }
        listeners.forEach { $0.batchCompleted(info) }
        return info
    }

    private func record(_ info: inout BatchInfo, sources: [any SourceNode], started: ContinuousClock.Instant) {
        for source in sources {
            info.inputRecords[source.sourceName] = source.lastBatchRecords
            info.waitingRecords[source.sourceName] = source.waitingRecords
            info.rejectedRecords[source.sourceName] = source.rejectedRecords
            let warnings = source.takeWarnings()
            if !warnings.isEmpty { info.sourceWarnings[source.sourceName] = warnings }
        }
        info.refusedRecords = state.withLock { state in
            defer { state.refusedRecords = [:] }
            return state.refusedRecords
        }
        info.processingTime = ContinuousClock.now - started
        metrics.record(info)
    }

    /// Counts records an operator refused in the batch in progress (a parser, an event-time window).
    func recordRefusals(_ kinds: [String], by operatorName: String) {
        var counts: [String: Int] = [:]
        for kind in kinds { counts[kind, default: 0] += 1 }
        state.withLock { state in
            state.refusedRecords[operatorName, default: [:]].merge(counts, uniquingKeysWith: +)
        }
    }

    /// Parents before children, each node once.
    private func topologicalOrder(from roots: [any GraphNode]) -> [any GraphNode] {
        var seen = Set<ObjectIdentifier>()
        var order: [any GraphNode] = []
        func visit(_ node: any GraphNode) {
            guard seen.insert(ObjectIdentifier(node)).inserted else { return }
            node.parents.forEach(visit)
            order.append(node)
        }
        roots.forEach(visit)
        return order
    }
}
