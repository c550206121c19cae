/// Why a pipeline could not be built, started, restored or run.
///
/// Every case names the operator or setting at fault and says how to fix it.
public enum StreamingError: Error, CustomStringConvertible, Sendable {
    /// A window or slide that is not a positive multiple of the batch interval.
    case invalidWindow(operator: String, reason: String)
    /// A stateful or inverse-window operator in a context with no checkpoint store.
    case checkpointRequired(operators: [String])
    /// `start()` on a context that was already started (or stopped).
    case alreadyStarted
    /// An output operation added after `start()`.
    case outputAddedAfterStart(output: String)
    /// A pipeline with no output operation: nothing would run.
    case noOutputOperations
    /// Streams of different slides combined by `union`, `join` or `cogroup`.
    case incompatibleSlides(operator: String, left: Int, right: Int)
    /// A checkpoint that cannot be restored into this pipeline.
    case checkpointMismatch(operator: String, reason: String)
    /// A checkpoint written with another batch interval (batch times would not line up).
    case batchIntervalChanged(checkpointMilliseconds: Int64, pipelineMilliseconds: Int64)
    /// A checkpoint file that cannot be read or written.
    case checkpointIO(path: String, reason: String)
    /// A batch failed: a closure or sink threw. The context stops after reporting it.
    case batchFailed(time: BatchTime, stage: String, underlying: any Error)
    /// An invalid setting.
    case invalidArgument(name: String, reason: String)
    /// `getOrCreate` with a source that cannot replay its records after a restart but
    /// already holds some (a `QueueSource` filled before start).
    case sourceNotReplayable(source: String, type: String)

    public var description: String {
        switch self {
        case .invalidWindow(let op, let reason):
            return "\(op): \(reason)"
        case .checkpointRequired(let operators):
            return "\(operators.joined(separator: ", ")) keep state across batches and need a checkpoint store: "
                + "create the context with `checkpoint: CheckpointStore(directory:)` or call `checkpoint(directory:)` before start()"
        case .alreadyStarted:
            return "the streaming context was already started; a stopped context cannot be restarted, create a new one"
        case .outputAddedAfterStart(let output):
            return "output '\(output)' was added after start(): register every output operation before starting the context"
        case .noOutputOperations:
            return "the pipeline has no output operation (print, foreachBatch, a sink): add one before start()"
        case .incompatibleSlides(let op, let left, let right):
            return "\(op): the streams slide every \(left) and \(right) batches; combine streams with the same slide"
        case .batchIntervalChanged(let written, let now):
            return "cannot restore the checkpoint: the batch interval was \(written) ms and is now \(now) ms. "
                + "Use the batch interval it was written with, or move the checkpoint directory away to start afresh"
        case .checkpointMismatch(let op, let reason):
            return "cannot restore '\(op)' from the checkpoint: \(reason). "
                + "Give the operator or source the name it had (name:), or move the checkpoint directory away to start afresh"
        case .checkpointIO(let path, let reason):
            return "checkpoint \(path): \(reason)"
        case .batchFailed(let time, let stage, let underlying):
            return "batch \(time) failed in \(stage): \(underlying)"
        case .invalidArgument(let name, let reason):
            return "\(name): \(reason)"
        case .sourceNotReplayable(let source, let type):
            return "source '\(source)' (\(type)) cannot replay its records after a restart, so getOrCreate would "
                + "count them twice: use a ReplaySource (records with their position in the checkpoint) or a "
                + "replayable source, or build the context without getOrCreate"
        }
    }
}
