/// A discretized stream: a sequence of batches, one per batch interval, each computed from the
/// batches of its parent streams (Spark's `DStream`).
///
/// A `DStream` is a lazy description. Nothing runs until an output operation (`print`,
/// `foreachBatch`, a sink) is registered and the context is started. Operators are extensions,
/// one per file; key/value operators apply when `Element` is a pair `(Key, Value)`.
///
/// - Important: Build the whole pipeline before `StreamingContext.start()`. Closures must be
///   `@Sendable`: partitions run in parallel. A transformation is recomputed for every consumer
///   of its stream (as in Spark without `cache`), so keep side effects in output operations.
///
/// Sendable: the graph is built before `start()`; afterwards only the scheduler thread writes `current`, and partitions only read it while it runs them.
public class DStream<Element: Sendable>: @unchecked Sendable {
    /// The context that owns the pipeline.
    public let context: StreamingContext
    /// The path of operators from the source(s) to this stream, e.g. `lines/flatMap/map/reduceByKey`.
    /// Stateful operators use it as their checkpoint name unless given one.
    public let lineage: String
    /// Every how many batches this stream has a batch (1, or a window's slide).
    @usableFromInline let slide: Int
    @usableFromInline let parents: [any GraphNode]
    @usableFromInline let compute: (BatchPosition) throws -> Stage<Element>?
    /// The stage for the batch being processed; nil between batches and off the slide.
    @usableFromInline var current: Stage<Element>?

    @usableFromInline
    init(
        context: StreamingContext,
        lineage: String,
        parents: [any GraphNode],
        slide: Int,
        compute: @escaping (BatchPosition) throws -> Stage<Element>?
    ) {
        self.context = context
        self.lineage = lineage
        self.parents = parents
        self.slide = slide
        self.compute = compute
    }

    /// A stream whose batch is `transform` of this stream's batch, on the same slide.
    @inlinable
    func derive<U>(
        _ name: String,
        _ transform: @escaping (Stage<Element>, BatchPosition) throws -> Stage<U>
    ) -> DStream<U> {
        DStream<U>(context: context, lineage: lineage + "/" + name, parents: [self], slide: slide) {
            [unowned self] position in
            guard let stage = self.current else { return nil }
            return try transform(stage, position)
        }
    }

    @usableFromInline var executor: ParallelExecutor { context.executor }
}

/// What the scheduler sees of a stream: a node it advances once per batch, parents first.
@usableFromInline
protocol GraphNode: AnyObject {
    var lineage: String { get }
    var parents: [any GraphNode] { get }
    /// Computes this node's batch at `position` from its parents' current batches.
    func advance(to position: BatchPosition) throws
    /// Drops the current batch so its memory is freed before the next one.
    func release()
}

extension DStream: GraphNode {
    @usableFromInline
    func advance(to position: BatchPosition) throws {
        current = try compute(position)
    }

    @usableFromInline
    func release() {
        guard var stage = current else { return }
        current = nil
        stage.records = nil  // the partitions below hold them too
        guard stage.partitions.count > 1 else { return }
        executor.free(&stage.partitions, leaving: Stage.Partition { _ in })
    }
}
