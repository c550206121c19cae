extension DStream {
    /// A stream whose batch holds the records of the last `length` of this stream's batches,
    /// produced every `slide` (Spark's `window`). Windows start partial (batch 1 alone, then
    /// 1–2, …) and drain after input stops.
    /// - Parameters:
    ///   - length: window length, a multiple of the batch interval.
    ///   - slide: how often the window moves (default: every batch), a multiple of the interval.
    ///   - name: the window's name in checkpoints; default: its lineage.
    /// - Throws: `StreamingError.invalidWindow` for a length or slide that is not a multiple.
    /// - Important: With a checkpoint store, the window's contents are checkpointed, which
    ///   needs `Codable` records (or pairs of `Codable` key and value).
    public func window(length: Duration, slide: Duration? = nil, name: String? = nil) throws -> DStream<Element> {
        try window(length: length, slide: slide, name: name, codec: .dynamic())
    }

    /// A window over key/value pairs (checkpointed when key and value are `Codable`).
    public func window<Key: Codable & Sendable, Value: Codable & Sendable>(
        length: Duration, slide: Duration? = nil, name: String? = nil
    ) throws -> DStream<(Key, Value)> where Element == (Key, Value) {
        try window(length: length, slide: slide, name: name, codec: ElementCodec<(Key, Value)>.pairs())
    }

    func window(length: Duration, slide: Duration?, name: String?, codec: ElementCodec<Element>?) throws -> DStream<Element> {
        let spec = try WindowSpec(stream: self, operator: "window", length: length, slide: slide)
        let buffer = WindowBuffer<Element>(codec: codec)
        let title = "window(\(spec.length),\(spec.slide))"
        context.register(participant: buffer, named: name ?? lineage + "/" + title)
        return DStream(context: context, lineage: lineage + "/" + title, parents: [self], slide: spec.slide) {
            [unowned self, executor] position in
            if let stage = self.current {
                buffer.append(index: position.index, partitions: try stage.materialize(on: executor))
            }
            buffer.drop(through: position.index - spec.length)
            guard position.index % spec.slide == 0 else { return nil }
            return Stage(materialized: buffer.partitions(in: (position.index - spec.length + 1)...position.index))
        }
    }
}

/// A window's length and slide in batches, validated against the batch interval and the
/// parent stream's slide.
struct WindowSpec {
    let length: Int
    let slide: Int

    init<Element>(stream: DStream<Element>, operator name: String, length: Duration, slide: Duration?) throws {
        let context = stream.context
        self.length = try context.batches(in: length, for: name, what: "window length")
        self.slide = try context.batches(in: slide ?? context.batchInterval, for: name, what: "slide")
        guard self.length % stream.slide == 0, self.slide % stream.slide == 0 else {
            throw StreamingError.invalidWindow(
                operator: name,
                reason: "window length and slide must be multiples of the parent stream's slide (\(stream.slide) batches)")
        }
    }
}
