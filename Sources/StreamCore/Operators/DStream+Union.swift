extension DStream {
    /// A stream of the records of this stream and `other`, batch by batch.
    /// - Throws: `StreamingError.incompatibleSlides` if the streams slide differently.
    public func union(_ other: DStream<Element>) throws -> DStream<Element> {
        try combine(with: other, operator: "union") { left, right, _ in
            Stage(partitions: left.partitions + right.partitions)
        }
    }

    /// A stream computed from the batches of this stream and `other` at the same time.
    func combine<Other: Sendable, T: Sendable>(
        with other: DStream<Other>, operator name: String,
        _ compute: @escaping (Stage<Element>, Stage<Other>, BatchPosition) throws -> Stage<T>
    ) throws -> DStream<T> {
        guard slide == other.slide else {
            throw StreamingError.incompatibleSlides(operator: name, left: slide, right: other.slide)
        }
        return DStream<T>(
            context: context, lineage: "\(name)(\(lineage),\(other.lineage))", parents: [self, other], slide: slide
        ) { [unowned self, unowned other] position in
            guard let left = self.current, let right = other.current else { return nil }
            return try compute(left, right, position)
        }
    }
}

extension StreamingContext {
    /// A stream of the records of all `streams`, batch by batch (Spark's `ssc.union`).
    /// - Throws: `StreamingError.invalidArgument` for an empty list,
    ///   `StreamingError.incompatibleSlides` if the streams slide differently.
    public func union<Element: Sendable>(_ streams: [DStream<Element>]) throws -> DStream<Element> {
        guard let first = streams.first else {
            throw StreamingError.invalidArgument(name: "union", reason: "needs at least one stream")
        }
        if let other = streams.first(where: { $0.slide != first.slide }) {
            throw StreamingError.incompatibleSlides(operator: "union", left: first.slide, right: other.slide)
        }
        let lineage = "union(" + streams.map(\.lineage).joined(separator: ",") + ")"
        return DStream(context: self, lineage: lineage, parents: streams, slide: first.slide) { _ in
            var partitions: [Stage<Element>.Partition] = []
            for stream in streams {
                guard let stage = stream.current else { return nil }
                partitions += stage.partitions
            }
            return Stage(partitions: partitions)
        }
    }
}
