extension DStream {
    /// Runs `body` with every batch and its time, on the scheduler thread, after the batch's
    /// earlier outputs (Spark's `foreachRDD`). Runs for empty batches too.
    ///
    /// `body` is `@Sendable` because it runs on the scheduler thread, not on the caller's
    /// actor: to collect results, send them to an actor or keep them behind a lock.
    /// - Parameters:
    ///   - name: the output's name in listeners and replays (made unique).
    ///   - body: what to do with each batch and its time.
    /// - Throws: `StreamingError.outputAddedAfterStart` once the context has started.
    /// - Important: An error thrown by `body` fails the batch and stops the context; the
    ///   batch is not checkpointed, so a restart runs it again.
    @inlinable
    public func foreachBatch(
        name: String = "foreachBatch", _ body: @escaping @Sendable (Batch<Element>, BatchTime) throws -> Void
    ) throws {
        try context.register(output: name, node: self) { [unowned self] position in
            guard let stage = current else { return nil }
            var partitions = try stage.materialize(on: executor)
            let count = partitions.reduce(0) { $0 + $1.count }
            try body(Batch(partitions: partitions), position.time)
            executor.free(&partitions, leaving: [])
            return count
        }
    }
}
