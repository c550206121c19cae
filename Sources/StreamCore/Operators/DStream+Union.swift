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
