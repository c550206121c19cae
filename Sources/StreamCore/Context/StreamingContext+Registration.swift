/// An output operation: runs once per batch (on its stream's slide), in registration order.
final class OutputOperation {
    let name: String
    let node: any GraphNode
    /// Runs the output for the batch; returns the records it wrote, or nil off the slide.
    let run: (BatchPosition) throws -> Int?

    init(name: String, node: any GraphNode, run: @escaping (BatchPosition) throws -> Int?) {
        self.name = name
        self.node = node
        self.run = run
    }
}

extension StreamingContext {
    /// Adds an output operation; its name is made unique among outputs.
    @usableFromInline
    func register(output name: String, node: any GraphNode, run: @escaping (BatchPosition) throws -> Int?) throws {
        try state.withLock { state in
            guard state.phase == .building else { throw StreamingError.outputAddedAfterStart(output: name) }
            let unique = uniqueName(name, taken: state.outputs.map(\.name))
            state.outputs.append(OutputOperation(name: unique, node: node, run: run))
        }
    }

    /// Adds a source; returns its name, made unique among sources (the checkpoint key of its position).
    func register(source: any SourceNode, named name: String) -> String {
        state.withLock { state in
            let unique = uniqueName(name, taken: state.sources.map(\.sourceName))
            source.sourceName = unique
            state.sources.append(source)
            return unique
        }
    }

    /// Adds something whose state goes into checkpoints, under a name unique in the pipeline.
    @usableFromInline
    func register(participant: any CheckpointParticipant, named name: String) {
        state.withLock { state in
            participant.checkpointName = uniqueName(name, taken: state.participants.map(\.checkpointName))
            state.participants.append(participant)
        }
    }

    /// Records that an operator cannot run without a checkpoint store (checked by `start()`).
    @usableFromInline
    func requireCheckpoint(by operatorName: String) {
        state.withLock { $0.checkpointRequirements.append(operatorName) }
    }

    /// The number of batches in `duration`, validated for a window or slide of `operatorName`.
    @usableFromInline
    func batches(in duration: Duration, for operatorName: String, what: String) throws -> Int {
        let interval = batchInterval.wholeMilliseconds
        let ms = duration.wholeMilliseconds
        guard ms > 0, ms % interval == 0 else {
            throw StreamingError.invalidWindow(
                operator: operatorName,
                reason: "the \(what) (\(duration)) must be a positive multiple of the batch interval (\(batchInterval))")
        }
        return Int(ms / interval)
    }

    private func uniqueName(_ name: String, taken: [String]) -> String {
        guard taken.contains(name) else { return name }
        var n = 2
        while taken.contains("\(name)#\(n)") { n += 1 }
        return "\(name)#\(n)"
    }
}
